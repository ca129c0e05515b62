/**
 * Reading typed values from a module's configuration keys. Entry point:
 * {@link org.vigie.config.ConfigurationValues}, which every module's config class uses so that a bad value
 * is reported in one form everywhere: {@code configuration key 'KEY' = 'VALUE': WHY}.
 */
package org.vigie.config;
