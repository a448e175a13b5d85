// Nethereum's types are the currency of every chain test.
global using Heurist.Contracts.Crypto;
global using Nethereum.Hex.HexConvertors.Extensions;
global using Nethereum.RPC.Eth.DTOs;
global using Nethereum.Signer;
global using Nethereum.Util;
global using Nethereum.Web3;
global using Heurist.Contracts.Tests.Vectors;
