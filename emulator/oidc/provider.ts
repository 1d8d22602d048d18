import { createHash, generateKeyPair, type JsonWebKey } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Configuration, InteractionDetails, Provider } from "oidc-provider";
import { parseForm, redirect, sendHtml } from "../html";
import { BodyError, readBody } from "../protocol/body";
import { errorPage, INVALID_LOGIN_MESSAGE, loggedOutPage, loginPage, logoutPage } from "./pages";
import { OidcStore } from "./adapter";
import { authenticate, findUser, userClaims } from "./users";

/**
 * The demo OpenID Connect identity provider (npm `oidc-provider`), mounted at `/oidc` on the
 * emulator's port. Its own sign-in page checks the demo users' password; consent is granted
 * without a page for the one registered client, `tether`.
 */

export const OIDC_PREFIX = "/oidc";
export const OIDC_CLIENT_ID = "tether";
export const OIDC_CLIENT_SECRET = "tether-demo-client-secret";
export const OIDC_CLIENT_NAME = "Tether";
export const DEFAULT_APP_URL = "http://localhost:3000";
/** The Auth.js callback path of the provider id `oidc`. */
export const CALLBACK_PATH = "/api/auth/callback/oidc";

/** Scopes, and the claims each releases. `groups` rides on `profile` too: clients differ in asking for it. */
const CLAIMS: Record<string, string[]> = {
  openid: ["sub"],
  profile: ["name", "preferred_username", "groups"],
  email: ["email", "email_verified"],
  groups: ["groups"],
};

// A demo IdP: a fixed cookie-signing key is fine (sessions live in memory and die with the process).
const COOKIE_KEYS = ["tether-demo-oidc-cookie-key"];

export interface DemoOidc {
  issuer: string;
  /** Handles every request under `/oidc` (the router's mount). */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

/**
 * `http://localhost:<port>/oidc`: `localhost`, whatever address the server binds (the app and
 * Auth.js use `localhost`).
 */
export function issuerFor(port: number): string {
  return `http://localhost:${port}${OIDC_PREFIX}`;
}

/** An app URL as the client registration uses it: an http(s) URL without a trailing slash. */
export function normalizeAppUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`invalid app URL '${value}'`);
  }
  if ((url.protocol !== "http:" && url.protocol !== "https:") || url.search || url.hash) {
    throw new Error(`invalid app URL '${value}' (expected http(s)://host[:port][/path])`);
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, "");
}

/** `appUrls`: the client's app base URLs, already normalized (`normalizeAppUrl`). */
export async function createDemoOidc(opts: { port: number; appUrls: readonly string[] }): Promise<DemoOidc> {
  const appUrls = opts.appUrls.length ? [...opts.appUrls] : [DEFAULT_APP_URL];
  const issuer = issuerFor(opts.port);
  const { default: ProviderClass, errors } = await loadOidcProvider();
  const provider = new ProviderClass(issuer, await configuration(appUrls));
  const callback = provider.callback();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = req.url ?? "/";
    const path = new URL(url, "http://localhost").pathname;
    const interaction = /^\/oidc\/interaction\/([^/]+)(\/login)?$/.exec(path);
    if (interaction) {
      try {
        await handleInteraction(provider, req, res, decodeURIComponent(interaction[1] ?? ""), interaction[2] !== undefined);
      } catch (e) {
        if (!(e instanceof errors.SessionNotFound)) throw e;
        sendHtml(
          res,
          400,
          errorPage("Sign-in session not found", {
            error: "Your sign-in session expired or was opened in another browser.",
            "what to do": "Go back to the application and sign in again.",
          }),
        );
      }
      return;
    }
    // oidc-provider routes are relative to its mount: strip `/oidc`, and leave the original URL in
    // `req.originalUrl`, from which oidc-provider derives the mount path for the URLs it builds.
    const rest = url.slice(OIDC_PREFIX.length);
    (req as IncomingMessage & { originalUrl?: string }).originalUrl = url;
    req.url = rest.startsWith("/") ? rest : `/${rest}`;
    await callback(req, res);
  };
  return { issuer, handle };
}

async function configuration(appUrls: string[]): Promise<Configuration> {
  const store = new OidcStore();
  return {
    adapter: store.adapterFor,
    clients: [
      {
        client_id: OIDC_CLIENT_ID,
        client_secret: OIDC_CLIENT_SECRET,
        client_name: OIDC_CLIENT_NAME,
        grant_types: ["authorization_code"],
        response_types: ["code"],
        // client_secret_post works too: oidc-provider accepts either secret method for such a client.
        token_endpoint_auth_method: "client_secret_basic",
        redirect_uris: appUrls.map((app) => `${app}${CALLBACK_PATH}`),
        post_logout_redirect_uris: appUrls.flatMap((app) => [app, `${app}/`, `${app}/login`]),
      },
    ],
    claims: CLAIMS,
    scopes: Object.keys(CLAIMS),
    // Scope-requested claims also in the ID token (Auth.js reads the profile from it).
    conformIdTokenClaims: false,
    cookies: {
      // Cookies ignore ports: unique names keep them apart from the app's on the same localhost.
      names: { session: "tether_idp_session", interaction: "tether_idp_interaction", resume: "tether_idp_resume" },
      long: { httpOnly: true, sameSite: "lax", path: OIDC_PREFIX },
      short: { httpOnly: true, sameSite: "lax" },
      keys: COOKIE_KEYS,
    },
    features: {
      devInteractions: { enabled: false },
      userinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => {
          ctx.type = "html";
          ctx.body = logoutPage(form, ctx.oidc.client?.clientName);
        },
        postLogoutSuccessSource: async (ctx) => {
          ctx.type = "html";
          ctx.body = loggedOutPage(ctx.oidc.client?.clientName);
        },
      },
    },
    findAccount: async (_ctx, sub) => {
      const user = findUser(sub);
      return user ? { accountId: user.username, claims: () => userClaims(user) } : undefined;
    },
    interactions: { url: async (_ctx, interaction) => `${OIDC_PREFIX}/interaction/${interaction.uid}` },
    jwks: { keys: [await signingKey()] },
    responseTypes: ["code"],
    renderError: async (ctx, out) => {
      ctx.type = "html";
      ctx.body = errorPage("Sign-in error", out);
    },
    // Explicit lifetimes (seconds); the defaults are functions that log a "you SHOULD change" notice.
    ttl: {
      AccessToken: 3600,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 3600,
      Session: 24 * 3600,
      Grant: 24 * 3600,
      RefreshToken: 24 * 3600,
    },
  };
}

/**
 * `/oidc/interaction/<uid>`: the sign-in form (prompt `login`), or the automatic consent
 * (prompt `consent`); `POST …/login` checks the credentials.
 */
async function handleInteraction(
  provider: Provider,
  req: IncomingMessage,
  res: ServerResponse,
  uid: string,
  loginPost: boolean,
): Promise<void> {
  const method = req.method ?? "GET";
  const allowed = loginPost ? "POST" : "GET";
  if (method !== allowed) {
    sendHtml(res, 405, errorPage("Method not allowed", { error: `${method} is not allowed here.` }), { Allow: allowed });
    return;
  }
  const details = await provider.interactionDetails(req, res);
  const self = `${OIDC_PREFIX}/interaction/${encodeURIComponent(details.uid)}`;
  if (details.uid !== uid) {
    redirect(res, self);
    return;
  }
  const clientName = details.params.client_id === OIDC_CLIENT_ID ? OIDC_CLIENT_NAME : String(details.params.client_id ?? "the application");

  if (loginPost) {
    if (details.prompt.name !== "login") {
      redirect(res, self);
      return;
    }
    let form: URLSearchParams;
    try {
      form = parseForm(await readBody(req, 64 * 1024), req.headers["content-type"]);
    } catch (e) {
      if (!(e instanceof BodyError)) throw e;
      sendHtml(res, e.status, errorPage("Bad request", { error: e.message }));
      return;
    }
    const login = form.get("login") ?? "";
    const user = authenticate(login, form.get("password") ?? "");
    if (!user) {
      sendHtml(res, 401, loginPage({ action: `${self}/login`, clientName, login, error: INVALID_LOGIN_MESSAGE }));
      return;
    }
    await provider.interactionFinished(req, res, { login: { accountId: user.username } }, { mergeWithLastSubmission: false });
    return;
  }

  switch (details.prompt.name) {
    case "login":
      sendHtml(res, 200, loginPage({ action: `${self}/login`, clientName }));
      return;
    case "consent":
      await grantConsent(provider, req, res, details);
      return;
    default:
      sendHtml(res, 400, errorPage("Sign-in error", { error: `Unsupported prompt '${details.prompt.name}'.` }));
  }
}

/** The registered client is first-party: grant what it asked for (as oidc-provider's example does on "Continue"). */
async function grantConsent(provider: Provider, req: IncomingMessage, res: ServerResponse, details: InteractionDetails): Promise<void> {
  const { prompt, params, session } = details;
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId: session?.accountId, clientId: String(params.client_id) });
  if (!grant) throw new Error(`grant ${details.grantId} not found`);
  if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(" "));
  if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(prompt.details.missingResourceScopes ?? {})) {
    grant.addResourceScope(indicator, scopes.join(" "));
  }
  const grantId = await grant.save();
  await provider.interactionFinished(
    req,
    res,
    { consent: details.grantId ? {} : { grantId } },
    { mergeWithLastSubmission: true },
  );
}

type OidcModule = typeof import("oidc-provider");
let oidcModule: Promise<OidcModule> | undefined;

/**
 * Loads oidc-provider once per process. Its module body warns "Unsupported runtime" on Node 20
 * (it wants 22 LTS; it runs fine on 20.19+): that one line is dropped while the import runs.
 */
function loadOidcProvider(): Promise<OidcModule> {
  oidcModule ??= (async () => {
    const warn = console.warn;
    console.warn = (...args: unknown[]) => {
      if (typeof args[0] === "string" && args[0].includes("oidc-provider WARNING: Unsupported runtime")) return;
      warn.apply(console, args);
    };
    try {
      return await import("oidc-provider");
    } finally {
      console.warn = warn;
    }
  })();
  return oidcModule;
}

let keyPromise: Promise<JsonWebKey> | undefined;

/** The ID-token signing key (RS256, what Auth.js expects by default): made once per process, in memory. */
function signingKey(): Promise<JsonWebKey> {
  keyPromise ??= new Promise<JsonWebKey>((resolve, reject) => {
    generateKeyPair("rsa", { modulusLength: 2048 }, (err, _publicKey, privateKey) => {
      if (err) {
        reject(err);
        return;
      }
      const jwk = privateKey.export({ format: "jwk" });
      const kid = createHash("sha256").update(String(jwk.n)).digest("base64url").slice(0, 16);
      resolve({ ...jwk, kid, alg: "RS256", use: "sig" });
    });
  });
  return keyPromise;
}
