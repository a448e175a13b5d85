// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";
import {ERC20Capped} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Capped.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @title Heurist Token (HEU)
/// @notice The Heurist network's ERC-20: capped at 1,000,000,000 HEU and burnable. Half of the cap is minted to
///         the treasury at deployment; the other half (the mining emission) can only be minted by the minter, which
///         is set once by the owner (the RewardsDistributor, which enforces the 120-month emission schedule).
contract HeuristToken is ERC20Capped, ERC20Burnable, Ownable {
    /// @dev Maximum total supply: 1,000,000,000 HEU (exposed as `cap()`).
    uint256 private constant MAX_SUPPLY = 1_000_000_000e18;

    /// @dev The non-mining half of the supply, minted to the treasury at deployment.
    uint256 private constant TREASURY_SUPPLY = 500_000_000e18;

    address private _minter;

    /// @notice The minter was set (this happens once).
    event MinterSet(address indexed minter);

    /// @notice `setMinter` was called after the minter had already been set.
    error MinterAlreadySet();
    /// @notice The zero address was given where an account is required.
    error ZeroAddress();
    /// @notice `caller` is not the minter.
    error NotMinter(address caller);

    /// @param treasury Receives the non-mining half of the supply (500,000,000 HEU).
    /// @param owner_   The owner, who may set the minter once.
    constructor(address treasury, address owner_)
        ERC20("Heurist", "HEU")
        ERC20Capped(MAX_SUPPLY)
        Ownable(owner_)
    {
        _mint(treasury, TREASURY_SUPPLY);
    }

    /// @notice Sets the only account allowed to mint. Can be called once, by the owner.
    /// @param minter_ The minter (the RewardsDistributor).
    function setMinter(address minter_) external onlyOwner {
        if (minter_ == address(0)) revert ZeroAddress();
        if (_minter != address(0)) revert MinterAlreadySet();
        _minter = minter_;
        emit MinterSet(minter_);
    }

    /// @notice The account allowed to mint, or the zero address while none is set.
    function minter() external view returns (address) {
        return _minter;
    }

    /// @notice Mints `amount` HEU to `to`. Only the minter; the cap is enforced.
    /// @param to     The receiver.
    /// @param amount The amount in wei (18 decimals).
    function mint(address to, uint256 amount) external {
        if (msg.sender != _minter) revert NotMinter(msg.sender);
        _mint(to, amount);
    }

    /// @dev ERC20Capped checks the cap on mint.
    function _update(address from, address to, uint256 value) internal override(ERC20, ERC20Capped) {
        super._update(from, to, value);
    }
}
