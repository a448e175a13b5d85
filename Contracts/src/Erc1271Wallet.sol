// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @title Erc1271Wallet
/// @notice A minimal one-owner smart-contract wallet, for tests and local development of contract-account sign-in
///         (Sign-In with Ethereum checked through ERC-1271). It holds no funds and executes nothing: it only answers
///         whether its owner's key signed a hash. The deployer never deploys it; tests deploy their own.
contract Erc1271Wallet is IERC1271 {
    /// @dev What ERC-1271 answers for a signature it refuses (anything but the magic value is a refusal).
    bytes4 private constant _REFUSED = 0xffffffff;

    address private immutable _owner;

    constructor(address owner_) {
        _owner = owner_;
    }

    /// @notice The key whose signatures this wallet accepts.
    function owner() external view returns (address) {
        return _owner;
    }

    /// @notice ERC-1271: 0x1626ba7e when `signature` is the owner's ECDSA signature of `hash` (65 bytes, low s),
    ///         0xffffffff otherwise. A malformed signature is refused with 0xffffffff, never a revert.
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4 magicValue) {
        (address signer, ECDSA.RecoverError error,) = ECDSA.tryRecoverCalldata(hash, signature);
        if (error == ECDSA.RecoverError.NoError && signer == _owner) {
            return IERC1271.isValidSignature.selector;
        }
        return _REFUSED;
    }
}
