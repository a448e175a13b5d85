using Heurist.Contracts.Abi;
using Heurist.Contracts.Rpc;

namespace Heurist.Contracts.Bindings;

/// <summary>
/// A call or transaction to one of our contracts reverted; <see cref="Error"/> names the custom error and its arguments,
/// decoded with the ABIs of our contracts.
/// </summary>
public sealed class ContractRevertedException : Exception
{
    public ContractRevertedException(string contract, string function, DecodedError error, ContractRevertException inner)
        : base($"{contract}.{function} reverted: {Describe(error)}", inner)
    {
        Contract = contract;
        Function = function;
        Error = error;
    }

    public string Contract { get; }

    public string Function { get; }

    public DecodedError Error { get; }

    /// <summary>The custom error's name ("ImageAlreadyMinted", "Error" for a string revert, "Panic"), or null when unknown.</summary>
    public string? ErrorName => Error.Name;

    /// <summary>The receipt of the failed transaction, when one was mined.</summary>
    public TransactionReceipt? Receipt => (InnerException as ContractRevertException)?.Receipt;

    private static string Describe(DecodedError error)
        => error.IsKnown ? error.ToString() : $"unknown error 0x{Convert.ToHexStringLower(error.Data)}";
}
