/**
 * Authentication of the HTTP API. Entry points: {@link org.vigie.taxii.auth.Authenticator} (credentials of a
 * request to an {@link org.vigie.taxii.auth.AuthenticatedUser}), {@link org.vigie.taxii.auth.PasswordHasher}
 * (PBKDF2 hashes of passwords and token secrets) and {@link org.vigie.taxii.auth.UserAdministration}
 * (creating users and API tokens).
 */
package org.vigie.taxii.auth;
