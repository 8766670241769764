// oidc-provider@9 ships no type declarations; this covers only what e2e/support/oidc-idp.mts uses.
declare module "oidc-provider" {
  import type { IncomingMessage, ServerResponse } from "node:http";

  type Loose = Record<string, unknown>;

  export interface Account {
    accountId: string;
    claims(use: string, scope: string, claims?: Loose, rejected?: string[]): Promise<Loose> | Loose;
  }

  export interface Grant {
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    save(ttl?: number): Promise<string>;
  }

  export interface Session {
    accountId?: string;
    authorizations?: Loose;
    persist(): Promise<string>;
  }

  /** The Koa context oidc-provider hands to configuration helpers (only the bits used here). */
  export interface KoaContextWithOIDC {
    oidc: {
      provider: Provider;
      client?: { clientId: string };
      session?: { accountId?: string; grantIdFor(clientId: string): string | undefined };
      result?: { login?: Loose; consent?: { grantId?: string } };
    };
  }

  export interface InteractionDetails {
    uid: string;
    prompt: { name: string; reasons: string[]; details: Loose };
    params: Record<string, string | undefined>;
    session?: { accountId: string; uid?: string; cookie?: string };
  }

  export class Check {
    constructor(reason: string, description: string, check: (ctx: KoaContextWithOIDC) => boolean | Promise<boolean>);
    static REQUEST_PROMPT: true;
    static NO_NEED_TO_PROMPT: false;
  }

  export interface Prompt {
    name: string;
    checks: Check[];
  }

  export const interactionPolicy: {
    base(): Prompt[] & { get(name: string): Prompt | undefined };
    Check: typeof Check;
  };

  export class Provider {
    constructor(issuer: string, configuration?: Loose);
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
    interactionResult(
      req: IncomingMessage,
      res: ServerResponse,
      result: Loose,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<string>;
    interactionFinished(
      req: IncomingMessage,
      res: ServerResponse,
      result: Loose,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>;
    Grant: { new (properties: { accountId?: string; clientId?: string }): Grant; find(id: string): Promise<Grant | undefined> };
    Session: { find(id: string): Promise<Session | undefined> };
  }

  export default Provider;
}
