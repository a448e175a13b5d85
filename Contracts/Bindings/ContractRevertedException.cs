namespace Heurist.Contracts.Bindings;

/// <summary>
/// A call or transaction to one of our contracts reverted; <see cref="Error"/> names the custom error and its arguments,
/// decoded with the ABIs of all our contracts.
/// </summary>
public sealed class ContractRevertedException : Exception
{
    public ContractRevertedException(string contract, string function, DecodedError error, Nethereum.RPC.Eth.DTOs.TransactionReceipt? receipt, Exception? inner)
        : base($"{contract}.{function} reverted: {error}", inner)
    {
        Contract = contract;
        Function = function;
        Error = error;
        Receipt = receipt;
    }

    public string Contract { get; }

    public string Function { get; }

    public DecodedError Error { get; }

    /// <summary>The custom error's name ("ImageAlreadyMinted", "Error" for a string revert, "Panic"), or null when unknown.</summary>
    public string? ErrorName => Error.Name;

    /// <summary>The receipt (status 0) of the failed transaction, when one was mined.</summary>
    public Nethereum.RPC.Eth.DTOs.TransactionReceipt? Receipt { get; }
}
