package org.vigie.pattern;

import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.ParseCancellationException;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.IntervalSet;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.pattern.grammar.StixPatternLexer;
import org.vigie.pattern.grammar.StixPatternParser;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Parses STIX 2.1 patterns into an immutable {@link ObservationExpression}. Invalid input fails with
 * {@link ErrorCode#INVALID_PATTERN}, naming the column (and the line when the pattern has several),
 * what was found there and what was expected.
 */
public final class PatternParser
{
    /** Longer patterns are rejected before parsing, so that a hostile input cannot exhaust memory. */
    public static final int MAXIMUM_LENGTH = 1 << 20;

    private PatternParser() {}

    public static ObservationExpression parse(String pattern)
    {
        requireNonNull(pattern, "pattern is null");
        if (pattern.length() > MAXIMUM_LENGTH) {
            throw new VigieException(ErrorCode.INVALID_PATTERN, "pattern of " + pattern.length() + " characters is longer than the limit of " + MAXIMUM_LENGTH);
        }
        StixPatternLexer lexer = new StixPatternLexer(CharStreams.fromString(pattern));
        lexer.removeErrorListeners();
        CommonTokenStream tokens = new CommonTokenStream(lexer);
        StixPatternParser parser = new StixPatternParser(tokens);
        parser.removeErrorListeners();
        StixPatternParser.PatternContext tree;
        try {
            // Fast path: SLL prediction, stopping at the first error. The grammar is LL(*) without
            // ambiguities, so SLL accepts every valid pattern; on an error the pattern is parsed again
            // in full LL mode only to report the error precisely.
            parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
            parser.setErrorHandler(new BailErrorStrategy());
            try {
                tree = parser.pattern();
            }
            catch (ParseCancellationException e) {
                tokens.seek(0);
                parser.reset();
                parser.addErrorListener(new ThrowingErrorListener(pattern));
                parser.setErrorHandler(new DefaultErrorStrategy());
                parser.getInterpreter().setPredictionMode(PredictionMode.LL);
                tree = parser.pattern();
            }
        }
        catch (StackOverflowError e) {
            throw new VigieException(ErrorCode.INVALID_PATTERN, "invalid pattern: nested too deeply to parse");
        }
        try {
            return new AstBuilder(pattern).build(tree);
        }
        catch (StackOverflowError e) {
            throw new VigieException(ErrorCode.INVALID_PATTERN, "invalid pattern: nested too deeply to parse");
        }
    }

    private static final class ThrowingErrorListener
            extends BaseErrorListener
    {
        private final String pattern;

        ThrowingErrorListener(String pattern)
        {
            this.pattern = pattern;
        }

        @Override
        public void syntaxError(Recognizer<?, ?> recognizer, Object offendingSymbol, int line, int charPositionInLine, String message, RecognitionException e)
        {
            String where = AstBuilder.position(pattern, line, charPositionInLine);
            if (!(recognizer instanceof Parser parser) || !(offendingSymbol instanceof Token token)) {
                throw new VigieException(ErrorCode.INVALID_PATTERN, "invalid pattern " + where + ": " + message);
            }
            String found = describe(token);
            if (token.getType() == StixPatternLexer.UNEXPECTED_CHARACTER && token.getText().equals("'")) {
                throw new VigieException(ErrorCode.INVALID_PATTERN, "invalid pattern " + where + ": unterminated string constant (a string ends with an unescaped ')");
            }
            IntervalSet expected = parser.getExpectedTokens();
            List<String> names = new ArrayList<>();
            for (int type : expected.toArray()) {
                names.add(displayName(parser, type));
            }
            String expectation = names.isEmpty() ? "" : ", expected " + (names.size() == 1 ? names.get(0) : "one of " + String.join(", ", names));
            throw new VigieException(ErrorCode.INVALID_PATTERN, "invalid pattern " + where + ": unexpected " + found + expectation);
        }

        private static String describe(Token token)
        {
            if (token.getType() == Token.EOF) {
                return "end of pattern";
            }
            String text = token.getText();
            if (text.length() > 40) {
                text = text.substring(0, 40) + "...";
            }
            return "'" + text + "'";
        }

        private static String displayName(Parser parser, int type)
        {
            return switch (type) {
                case Token.EOF -> "end of pattern";
                case StixPatternLexer.STRING -> "a string constant";
                case StixPatternLexer.IDENTIFIER -> "a name";
                case StixPatternLexer.POSITIVE_INTEGER -> "a positive integer";
                case StixPatternLexer.NEGATIVE_INTEGER -> "a negative integer";
                case StixPatternLexer.POSITIVE_FLOAT -> "a positive float";
                case StixPatternLexer.NEGATIVE_FLOAT -> "a negative float";
                case StixPatternLexer.TIMESTAMP -> "a timestamp t'...'";
                case StixPatternLexer.BINARY -> "a binary constant b'...'";
                case StixPatternLexer.HEX -> "a hex constant h'...'";
                case StixPatternLexer.BOOLEAN -> "true or false";
                default -> parser.getVocabulary().getDisplayName(type);
            };
        }
    }
}
