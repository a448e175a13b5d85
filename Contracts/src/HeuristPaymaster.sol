// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {BasePaymaster} from "@account-abstraction/contracts/core/BasePaymaster.sol";
import {IEntryPoint} from "@account-abstraction/contracts/interfaces/IEntryPoint.sol";
import {PackedUserOperation} from "@account-abstraction/contracts/interfaces/PackedUserOperation.sol";
import {_packValidationData, calldataKeccak} from "@account-abstraction/contracts/core/Helpers.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";
import {ImaginariesNft} from "./ImaginariesNft.sol";

/// @title Heurist paymaster
/// @notice ERC-4337 v0.8 verifying paymaster that sponsors exactly one kind of operation: a SimpleAccount
///         `execute(nft, 0, ImaginariesNft.mint(...))`, approved by the sponsor signer for a time window.
/// @dev paymasterAndData = paymaster (20) | paymasterVerificationGasLimit (16) | paymasterPostOpGasLimit (16)
///      | validUntil (uint48, 6) | validAfter (uint48, 6) | signature (65) = 129 bytes. The sponsor signs the EIP-191
///      personal-message hash of `getHash(userOp, validUntil, validAfter)`. The context is always empty, so the
///      EntryPoint never calls postOp and charges no postOp penalty; the postOp gas limit may be 0.
contract HeuristPaymaster is BasePaymaster {
    uint256 private constant VALID_UNTIL_OFFSET = PAYMASTER_DATA_OFFSET; // 52
    uint256 private constant VALID_AFTER_OFFSET = PAYMASTER_DATA_OFFSET + 6; // 58
    uint256 private constant SIGNATURE_OFFSET = PAYMASTER_DATA_OFFSET + 12; // 64
    uint256 private constant PAYMASTER_AND_DATA_LENGTH = PAYMASTER_DATA_OFFSET + 12 + 65; // 129

    /// @dev SimpleAccount.execute(address,uint256,bytes)
    bytes4 private constant EXECUTE_SELECTOR = 0xb61d27f6;
    bytes4 private constant MINT_SELECTOR = ImaginariesNft.mint.selector;

    address private immutable _nft;
    address private _sponsorSigner;

    /// @notice The sponsor signer is now `signer`.
    event SponsorSignerSet(address indexed signer);

    /// @notice The operation's callData is not `execute(nft, 0, mint(...))`.
    error NotASponsoredMint();
    /// @notice paymasterAndData is not 129 bytes long.
    error InvalidPaymasterData();

    /// @param entryPoint_    The ERC-4337 v0.8 EntryPoint.
    /// @param nft_           The ImaginariesNft whose mints are sponsored.
    /// @param sponsorSigner_ The key that approves each sponsored operation.
    /// @param owner_         The owner (withdraws the deposit, manages the stake, changes the sponsor signer).
    constructor(IEntryPoint entryPoint_, address nft_, address sponsorSigner_, address owner_)
        BasePaymaster(entryPoint_)
    {
        if (owner_ == address(0)) revert OwnableInvalidOwner(address(0));
        _nft = nft_;
        _sponsorSigner = sponsorSigner_;
        emit SponsorSignerSet(sponsorSigner_);
        _transferOwnership(owner_);
    }

    /// @notice Changes the key that approves sponsored operations. Only the owner.
    /// @param signer The new sponsor signer.
    function setSponsorSigner(address signer) external onlyOwner {
        _sponsorSigner = signer;
        emit SponsorSignerSet(signer);
    }

    /// @notice The ImaginariesNft whose mints are sponsored.
    function nft() external view returns (address) {
        return _nft;
    }

    /// @notice The key that approves sponsored operations.
    function sponsorSigner() external view returns (address) {
        return _sponsorSigner;
    }

    /// @notice The hash the sponsor signs (as an EIP-191 personal message) to approve `userOp` between `validAfter`
    ///         and `validUntil`. It covers every field of the operation except the signatures and paymasterAndData.
    function getHash(PackedUserOperation calldata userOp, uint48 validUntil, uint48 validAfter)
        public
        view
        returns (bytes32)
    {
        return keccak256(
            abi.encode(
                userOp.sender,
                userOp.nonce,
                calldataKeccak(userOp.initCode),
                calldataKeccak(userOp.callData),
                userOp.accountGasLimits,
                userOp.preVerificationGas,
                userOp.gasFees,
                block.chainid,
                address(this),
                validUntil,
                validAfter
            )
        );
    }

    /// @dev Reverts unless the operation is a sponsored mint with well-formed paymaster data. A signature that is not
    ///      the sponsor's gives SIG_VALIDATION_FAILED (the EntryPoint refuses with AA34); the time window is returned
    ///      for the EntryPoint to enforce (AA32).
    function _validatePaymasterUserOp(PackedUserOperation calldata userOp, bytes32, uint256)
        internal
        view
        override
        returns (bytes memory context, uint256 validationData)
    {
        bytes calldata paymasterAndData = userOp.paymasterAndData;
        if (paymasterAndData.length != PAYMASTER_AND_DATA_LENGTH) revert InvalidPaymasterData();
        _requireSponsoredMint(userOp.callData);

        uint48 validUntil = uint48(bytes6(paymasterAndData[VALID_UNTIL_OFFSET:VALID_AFTER_OFFSET]));
        uint48 validAfter = uint48(bytes6(paymasterAndData[VALID_AFTER_OFFSET:SIGNATURE_OFFSET]));
        bytes32 hash = MessageHashUtils.toEthSignedMessageHash(getHash(userOp, validUntil, validAfter));
        (address recovered, ECDSA.RecoverError err,) =
            ECDSA.tryRecoverCalldata(hash, paymasterAndData[SIGNATURE_OFFSET:]);
        bool failed = err != ECDSA.RecoverError.NoError || recovered != _sponsorSigner;
        return ("", _packValidationData(failed, validUntil, validAfter));
    }

    /// @dev Accepts only the canonical ABI encoding of `execute(_nft, 0, func)` whose `func` starts with the
    ///      ImaginariesNft.mint selector: selector (4) | dest (32) | value (32) | offset = 0x60 (32) | length (32) |
    ///      func bytes, with the whole of `func` inside callData.
    function _requireSponsoredMint(bytes calldata callData) private view {
        if (callData.length < 136) revert NotASponsoredMint();
        if (bytes4(callData[0:4]) != EXECUTE_SELECTOR) revert NotASponsoredMint();
        if (uint256(bytes32(callData[4:36])) != uint256(uint160(_nft))) revert NotASponsoredMint();
        if (bytes32(callData[36:68]) != bytes32(0)) revert NotASponsoredMint();
        if (uint256(bytes32(callData[68:100])) != 0x60) revert NotASponsoredMint();
        uint256 funcLength = uint256(bytes32(callData[100:132]));
        if (funcLength < 4 || funcLength > callData.length - 132) revert NotASponsoredMint();
        if (bytes4(callData[132:136]) != MINT_SELECTOR) revert NotASponsoredMint();
    }
}
