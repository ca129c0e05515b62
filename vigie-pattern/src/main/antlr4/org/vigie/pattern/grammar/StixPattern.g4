// STIX 2.1 patterning (specification section 9), written for Vigie from the specification's prose.
// Precedence, lowest first: FOLLOWEDBY, OR between observations, AND between observations,
// qualifiers (bind to the observation expression just before them), then inside brackets OR, AND,
// and the comparison itself. Every binary operator associates to the left; the AST builder folds
// the repetitions below into left-nested nodes. Checks the grammar cannot express (timestamp
// validity, base64, regex syntax, CIDR syntax, START before STOP) are made while building the AST.
grammar StixPattern;

pattern
    : observationSequence EOF
    ;

observationSequence
    : observationDisjunction (FOLLOWEDBY observationDisjunction)*
    ;

observationDisjunction
    : observationConjunction (OR observationConjunction)*
    ;

observationConjunction
    : qualifiedObservation (AND qualifiedObservation)*
    ;

qualifiedObservation
    : observationPrimary qualifier*
    ;

observationPrimary
    : LEFT_BRACKET comparisonDisjunction RIGHT_BRACKET     # bracketedObservation
    | LEFT_PARENTHESIS observationSequence RIGHT_PARENTHESIS # groupedObservation
    ;

qualifier
    : WITHIN (POSITIVE_INTEGER | POSITIVE_FLOAT) SECONDS     # withinQualifier
    | REPEATS POSITIVE_INTEGER TIMES                         # repeatsQualifier
    | START TIMESTAMP STOP TIMESTAMP                         # startStopQualifier
    ;

comparisonDisjunction
    : comparisonConjunction (OR comparisonConjunction)*
    ;

comparisonConjunction
    : comparisonPrimary (AND comparisonPrimary)*
    ;

comparisonPrimary
    : LEFT_PARENTHESIS comparisonDisjunction RIGHT_PARENTHESIS                  # groupedComparison
    | EXISTS objectPath                                                         # existsComparison
    | objectPath NOT? operator=(EQUAL | NOT_EQUAL) primitiveConstant            # equalityComparison
    | objectPath NOT? operator=(LESS | LESS_OR_EQUAL | GREATER | GREATER_OR_EQUAL) orderableConstant # orderingComparison
    | objectPath NOT? IN setConstant                                            # inComparison
    | objectPath NOT? operator=(LIKE | MATCHES | ISSUBSET | ISSUPERSET) STRING  # stringComparison
    ;

objectPath
    : objectType=IDENTIFIER COLON firstStep=propertyName pathStep*
    ;

propertyName
    : IDENTIFIER
    | STRING
    ;

pathStep
    : DOT propertyName                                                    # propertyStep
    | LEFT_BRACKET (POSITIVE_INTEGER | NEGATIVE_INTEGER | ASTERISK) RIGHT_BRACKET # indexStep
    ;

setConstant
    : LEFT_PARENTHESIS (primitiveConstant (COMMA primitiveConstant)*)? RIGHT_PARENTHESIS
    ;

primitiveConstant
    : orderableConstant
    | BOOLEAN
    ;

orderableConstant
    : POSITIVE_INTEGER
    | NEGATIVE_INTEGER
    | POSITIVE_FLOAT
    | NEGATIVE_FLOAT
    | STRING
    | BINARY
    | HEX
    | TIMESTAMP
    ;

// Keywords are upper case only, as the specification writes them.
AND : 'AND' ;
OR : 'OR' ;
NOT : 'NOT' ;
FOLLOWEDBY : 'FOLLOWEDBY' ;
LIKE : 'LIKE' ;
MATCHES : 'MATCHES' ;
ISSUBSET : 'ISSUBSET' ;
ISSUPERSET : 'ISSUPERSET' ;
EXISTS : 'EXISTS' ;
IN : 'IN' ;
WITHIN : 'WITHIN' ;
SECONDS : 'SECONDS' ;
REPEATS : 'REPEATS' ;
TIMES : 'TIMES' ;
START : 'START' ;
STOP : 'STOP' ;
BOOLEAN : 'true' | 'false' ;

// Typed constants: the prefix letter and the quote form one token, so that "h'" is never an identifier.
TIMESTAMP : 't\'' ~[']* '\'' ;
BINARY : 'b\'' ~[']* '\'' ;
HEX : 'h\'' ~[']* '\'' ;
// Any backslash escape is lexed; only \' and \\ are accepted when the AST is built (with the column).
STRING : '\'' ( ~['\\] | '\\' . )* '\'' ;

NEGATIVE_FLOAT : '-' [0-9]* '.' [0-9]+ ;
POSITIVE_FLOAT : '+'? [0-9]* '.' [0-9]+ ;
NEGATIVE_INTEGER : '-' [0-9]+ ;
POSITIVE_INTEGER : '+'? [0-9]+ ;

IDENTIFIER : [a-zA-Z_] [a-zA-Z0-9_-]* ;

// STIX 2.1 accepts both spellings of equality, as it does of inequality.
EQUAL : '=' | '==' ;
NOT_EQUAL : '!=' | '<>' ;
LESS_OR_EQUAL : '<=' ;
LESS : '<' ;
GREATER_OR_EQUAL : '>=' ;
GREATER : '>' ;
LEFT_BRACKET : '[' ;
RIGHT_BRACKET : ']' ;
LEFT_PARENTHESIS : '(' ;
RIGHT_PARENTHESIS : ')' ;
COLON : ':' ;
DOT : '.' ;
COMMA : ',' ;
ASTERISK : '*' ;

WHITESPACE : [ \t\r\n\u000B\u000C]+ -> skip ;

// Anything else becomes a token the parser rejects, so the error names its column.
UNEXPECTED_CHARACTER : . ;
