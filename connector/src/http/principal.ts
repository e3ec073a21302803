/** Who called: the API key's id or the token's subject, with the scopes granted. */
export interface Principal {
  readonly kind: 'apiKey' | 'jwt';
  readonly id: string;
  readonly scopes: readonly string[];
}

/** Checks a request's credentials. */
export interface Authenticator {
  /**
   * Returns the caller's principal.
   * @throws ConnectorError `error.connector.unauthorized` when no or invalid credentials are presented.
   */
  authenticate(headers: Headers): Promise<Principal>;
}
