// The browser side of the portal's wallet: EIP-6963 discovery (with a bare EIP-1193 window.ethereum as the fallback),
// requests to the chosen wallet, reads from the chain's JSON-RPC, and the HTTP half of Sign-In with Ethereum, which
// the browser must do itself so that the HttpOnly session cookie lands in it.
//
// Every export resolves to a plain result object and never rejects: .NET maps { ok: false, error: { code, message } }
// to a typed error (4001: the user rejected, 4902: the wallet does not know the chain) instead of catching raw
// JavaScript exceptions.

const storageKey = "heurist.wallet";
const injectedId = "injected";
// How long to wait for announcements when none has come yet; wallets answer requestProvider at once, so this
// only delays the page that has no EIP-6963 wallet at all.
const defaultWaitMs = 300;

const announced = new Map(); // uuid -> { info, provider }
let listening = false;
let current = null; // { entry, dotnet, handlers }
let rpcId = 0;

function listen() {
  if (listening) {
    return;
  }
  listening = true;
  window.addEventListener("eip6963:announceProvider", (event) => {
    const detail = event.detail;
    if (detail?.info?.uuid && typeof detail.provider?.request === "function") {
      announced.set(detail.info.uuid, { info: detail.info, provider: detail.provider });
    }
  });
}

const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// EIP-6963 requires the icon to be a data URI; anything else (a remote URL) is dropped rather than fetched.
const iconOf = (icon) => (typeof icon === "string" && icon.startsWith("data:image/") ? icon : "");

function entries() {
  const list = [...announced.values()].map(({ info, provider }) => ({
    wallet: { id: info.uuid, uuid: info.uuid, name: String(info.name ?? "Wallet"), icon: iconOf(info.icon), rdns: String(info.rdns ?? "") },
    provider,
  }));
  if (list.length === 0 && typeof window.ethereum?.request === "function") {
    list.push({ wallet: { id: injectedId, uuid: "", name: "Browser wallet", icon: "", rdns: "" }, provider: window.ethereum });
  }
  return list;
}

async function scan(waitMs) {
  listen();
  window.dispatchEvent(new Event("eip6963:requestProvider"));
  if (announced.size === 0) {
    await delay(waitMs ?? defaultWaitMs);
  }
  return entries();
}

function toError(error, fallback) {
  // Some mobile wallets wrap 4902 inside a generic internal error.
  const nested = error?.data?.originalError?.code;
  const code = typeof nested === "number" ? nested : typeof error?.code === "number" ? error.code : null;
  const message = typeof error?.message === "string" && error.message.length > 0 ? error.message : fallback;
  // Revert data: a node puts it in error.data; wallets nest it (data.data, data.originalError.data, error.data).
  const data = [error?.data, error?.data?.data, error?.data?.originalError?.data, error?.error?.data]
    .find((d) => typeof d === "string" && d.startsWith("0x")) ?? null;
  return { code, message, data };
}

function remember(wallet) {
  try {
    localStorage.setItem(storageKey, JSON.stringify({ rdns: wallet.rdns, id: wallet.id === injectedId ? injectedId : "" }));
  } catch {
    // Storage can be blocked; the wallet then simply does not reconnect on reload.
  }
}

function recall() {
  try {
    const saved = JSON.parse(localStorage.getItem(storageKey) ?? "null");
    return saved && (saved.rdns || saved.id) ? saved : null;
  } catch {
    return null;
  }
}

function detach() {
  if (!current) {
    return;
  }
  const { entry, handlers } = current;
  const remove = entry.provider.removeListener ?? entry.provider.off;
  if (typeof remove === "function") {
    for (const [name, handler] of Object.entries(handlers)) {
      remove.call(entry.provider, name, handler);
    }
  }
  current = null;
}

function attach(entry, dotnet) {
  detach();
  // A call into .NET can fail once the page's circuit or runtime is gone; there is nobody left to tell then.
  const tell = (method, ...args) => dotnet?.invokeMethodAsync(method, ...args).catch(() => {});
  const handlers = {
    accountsChanged: (accounts) => tell("OnAccountsChanged", Array.isArray(accounts) ? accounts.map(String) : []),
    chainChanged: (chainId) => tell("OnChainChanged", String(chainId)),
    disconnect: () => tell("OnDisconnected"),
  };
  if (typeof entry.provider.on === "function") {
    for (const [name, handler] of Object.entries(handlers)) {
      entry.provider.on(name, handler);
    }
  }
  current = { entry, dotnet, handlers };
}

async function open(entry, method, dotnet) {
  const accounts = await entry.provider.request({ method });
  const chainId = await entry.provider.request({ method: "eth_chainId" });
  const list = Array.isArray(accounts) ? accounts.map(String) : [];
  if (list.length > 0) {
    attach(entry, dotnet);
  }
  return { ok: list.length > 0, wallet: entry.wallet, accounts: list, chainId: String(chainId ?? ""), error: null };
}

/** The wallets in this browser: [{ id, uuid, name, icon, rdns }], possibly empty. */
export async function discover(waitMs) {
  try {
    return (await scan(waitMs)).map((e) => e.wallet);
  } catch {
    return [];
  }
}

/**
 * Asks the wallet with this id for its accounts (eth_requestAccounts, which prompts) and follows its events.
 * Resolves to { ok, wallet, accounts, chainId, error }.
 */
export async function connect(id, dotnet) {
  const entry = (await scan(0)).find((e) => e.wallet.id === id);
  if (!entry) {
    return { ok: false, wallet: null, accounts: [], chainId: "", error: { code: null, message: "That wallet is no longer available; reload the page." } };
  }
  try {
    const result = await open(entry, "eth_requestAccounts", dotnet);
    if (result.ok) {
      remember(entry.wallet);
    }
    return result;
  } catch (error) {
    return { ok: false, wallet: entry.wallet, accounts: [], chainId: "", error: toError(error, "The wallet refused to connect.") };
  }
}

/**
 * Reconnects the wallet remembered from an earlier visit without a prompt (eth_accounts). Resolves to the shape of
 * connect; ok is false when nothing is remembered, the wallet is gone, or it no longer shares an account.
 */
export async function restore(dotnet, waitMs) {
  const saved = recall();
  if (!saved) {
    return { ok: false, wallet: null, accounts: [], chainId: "", error: null };
  }
  const matches = (e) => (saved.rdns ? e.wallet.rdns === saved.rdns : e.wallet.id === saved.id);
  let entry = (await scan(waitMs)).find(matches);
  if (!entry) {
    // An extension can announce itself a moment after the page loads.
    await delay(waitMs ?? defaultWaitMs);
    entry = entries().find(matches);
  }
  if (!entry) {
    return { ok: false, wallet: null, accounts: [], chainId: "", error: null };
  }
  try {
    return await open(entry, "eth_accounts", dotnet);
  } catch (error) {
    return { ok: false, wallet: entry.wallet, accounts: [], chainId: "", error: toError(error, "The wallet did not answer.") };
  }
}

/** Stops following the wallet's events, and keeps it remembered for the next visit. */
export function unwatch() {
  detach();
}

/** Stops following the wallet and forgets it, so the next visit does not reconnect. */
export function forget() {
  detach();
  try {
    localStorage.removeItem(storageKey);
  } catch {
    // Nothing was stored then.
  }
}

/** An EIP-1193 request to the connected wallet (writes, signatures, network switches): { ok, result, error }. */
export async function request(method, params) {
  if (!current) {
    return { ok: false, result: null, error: { code: 4900, message: "No wallet is connected." } };
  }
  try {
    const result = await current.entry.provider.request({ method, params: params ?? [] });
    return { ok: true, result: result ?? null, error: null };
  } catch (error) {
    return { ok: false, result: null, error: toError(error, "The wallet refused the request.") };
  }
}

/**
 * eth_signTypedData_v4 (EIP-712) by the account over typed data given as its JSON text: { ok, result, error }, the
 * result being the signature. v4 takes the JSON as a string; MetaMask and Rabby refuse an object for it.
 */
export function signTypedData(account, typedData) {
  return request("eth_signTypedData_v4", [account, typeof typedData === "string" ? typedData : JSON.stringify(typedData)]);
}

/** A JSON-RPC 2.0 read from the chain's node, never from the wallet: { ok, result, error }. */
export async function rpc(url, method, params) {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: ++rpcId, method, params: params ?? [] }),
    });
    if (!response.ok) {
      return { ok: false, result: null, error: { code: response.status, message: `The chain's RPC answered ${response.status}.` } };
    }
    const body = await response.json();
    if (body?.error) {
      return { ok: false, result: null, error: toError(body.error, "The chain's RPC refused the call.") };
    }
    return { ok: true, result: body?.result ?? null, error: null };
  } catch (error) {
    return { ok: false, result: null, error: { code: null, message: error?.message || "Could not reach the chain's RPC." } };
  }
}

async function send(method, path, body, extraHeaders = {}) {
  try {
    const response = await fetch(path, {
      method,
      credentials: "same-origin",
      headers: body === undefined
        ? { Accept: "application/json", ...extraHeaders }
        : { Accept: "application/json", "Content-Type": "application/json", ...extraHeaders },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    let json = null;
    try {
      json = await response.json();
    } catch {
      // An empty or non-JSON body (a logout's 204, a proxy's error page).
    }
    if (response.ok) {
      return { ok: true, status: response.status, nonce: json?.nonce ?? null, address: json?.address ?? null, title: null, detail: null, code: null };
    }
    return {
      ok: false,
      status: response.status,
      nonce: null,
      address: null,
      title: typeof json?.title === "string" ? json.title : `The portal answered ${response.status}.`,
      detail: typeof json?.detail === "string" ? json.detail : null,
      code: json?.code == null ? null : String(json.code),
    };
  } catch (error) {
    return { ok: false, status: 0, nonce: null, address: null, title: "Could not reach the portal.", detail: error?.message ?? null, code: null };
  }
}

/** GET /api/auth/nonce: { ok, status, nonce } or the problem's { ok: false, status, title, detail, code }. */
export function fetchNonce(path = "/api/auth/nonce") {
  return send("GET", path);
}

/** POST /api/auth/siwe: { ok, status, address }, or the problem's { ok: false, status, title, detail, code } (401 and others). */
export function postSignIn(message, signature, path = "/api/auth/siwe", creatorId = null) {
  // The browser's creator id hands its anonymous Studio jobs to the account.
  return send("POST", path, { message, signature }, creatorId ? { "X-Creator-Id": creatorId } : {});
}

/** POST /api/auth/logout: { ok, status }. */
export function logout(path = "/api/auth/logout") {
  return send("POST", path);
}
