using System.Text.Json;
using Microsoft.Playwright;

namespace Heurist.E2E;

/// <summary>
/// A browser wallet for the journeys: an EIP-1193 provider at window.ethereum, announced with EIP-6963, that
/// forwards to anvil, where the dev accounts sign (personal_sign, eth_signTypedData_v4) and send. The test steers it
/// through window.__testWallet: switch the account or chain as a user would in the wallet, or decline signatures.
/// </summary>
internal static class TestWallet
{
    public const string Name = "Test Wallet";

    /// <summary>Adds the wallet to every page of <paramref name="context"/>, on chain <paramref name="chainIdHex"/>.</summary>
    public static Task InstallAsync(IBrowserContext context, Uri rpcUrl, IReadOnlyList<string> accounts, string chainIdHex = "0x7a69")
    {
        var config = JsonSerializer.Serialize(new
        {
            rpcUrl = rpcUrl.ToString(),
            accounts,
            chainId = chainIdHex,
            knownChains = new[] { chainIdHex },
        });
        return context.AddInitScriptAsync(Script.Replace("__CONFIG__", config, StringComparison.Ordinal));
    }

    private const string Script = """
        (() => {
          const config = __CONFIG__;
          // What the wallet remembers across reloads of the tab, as a real extension would.
          const saved = JSON.parse(sessionStorage.getItem('testWallet') || '{}');
          const state = {
            current: saved.current || config.accounts[0],
            connected: saved.connected || false,
            chainId: saved.chainId || config.chainId,
            knownChains: saved.knownChains || config.knownChains,
          };
          const save = () => sessionStorage.setItem('testWallet', JSON.stringify(state));
          const listeners = {};
          const emit = (event, value) => (listeners[event] || []).slice().forEach(f => f(value));
          const rejected = () => Object.assign(new Error('User rejected the request.'), { code: 4001 });
          async function rpc(method, params) {
            const response = await fetch(config.rpcUrl, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: params || [] }),
            });
            const body = await response.json();
            if (body.error) throw Object.assign(new Error(body.error.message), { code: body.error.code });
            return body.result;
          }
          const provider = {
            async request({ method, params }) {
              window.__testWallet.calls.push(method);
              switch (method) {
                case 'eth_requestAccounts':
                  state.connected = true; save();
                  return [state.current];
                case 'eth_accounts':
                  return state.connected ? [state.current] : [];
                case 'eth_chainId':
                  return state.chainId;
                case 'wallet_switchEthereumChain': {
                  const id = params[0].chainId;
                  if (!state.knownChains.includes(id)) throw Object.assign(new Error('Unrecognized chain ID ' + id), { code: 4902 });
                  state.chainId = id; save();
                  emit('chainChanged', id);
                  return null;
                }
                case 'wallet_addEthereumChain':
                  window.__testWallet.added.push(params[0]);
                  state.knownChains.push(params[0].chainId);
                  // Like most wallets, adding a chain also switches to it.
                  state.chainId = params[0].chainId; save();
                  emit('chainChanged', state.chainId);
                  return null;
                case 'personal_sign':
                case 'eth_signTypedData_v4':
                  if (window.__testWallet.declineSignatures) throw rejected();
                  return rpc(method, params);
                default:
                  return rpc(method, params);
              }
            },
            on(event, f) { (listeners[event] ||= []).push(f); return provider; },
            removeListener(event, f) { listeners[event] = (listeners[event] || []).filter(g => g !== f); return provider; },
          };
          window.__testWallet = {
            calls: [],
            added: [],
            declineSignatures: false,
            switchAccount(address) {
              state.current = address; save();
              if (state.connected) emit('accountsChanged', [address]);
            },
          };
          const info = {
            uuid: '5b0b9a4e-6f1d-4a8e-9c1e-6f3f1d2b7c01',
            name: 'Test Wallet',
            icon: 'data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22 viewBox=%220 0 32 32%22%3E%3Crect width=%2232%22 height=%2232%22 rx=%226%22 fill=%22%235b3fd6%22/%3E%3C/svg%3E',
            rdns: 'org.heurist.testwallet',
          };
          const announce = () => window.dispatchEvent(new CustomEvent('eip6963:announceProvider', { detail: Object.freeze({ info, provider }) }));
          window.addEventListener('eip6963:requestProvider', announce);
          announce();
          window.ethereum = provider;
        })();
        """;
}
