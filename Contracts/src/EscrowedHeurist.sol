// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title Escrowed Heurist (esHEU)
/// @notice A non-transferable ERC-20 backed 1:1 by HEU held by this contract. Protocol contracts mint it by
///         depositing HEU (rewards), and move it for staking. A holder converts esHEU back into HEU by vesting:
///         the esHEU is burned and the same amount of HEU unlocks linearly over 365 days.
/// @dev Invariant: HEU balance of this contract >= totalSupply() + sum over positions of (amount - claimed).
contract EscrowedHeurist is ERC20, Ownable {
    using SafeERC20 for IERC20;

    /// @notice Length of every vesting position: 365 days.
    uint256 public constant VESTING_DURATION = 365 days;

    /// @dev One vesting position, packed into one slot. 96 bits hold any amount up to the HEU cap (1e27 < 2^96).
    ///      The end is `start + VESTING_DURATION`.
    struct Position {
        uint96 amount;
        uint96 claimed;
        uint64 start;
    }

    IERC20 private immutable _heu;

    mapping(address account => bool) private _protocolContracts;
    mapping(address holder => Position[]) private _positions;

    /// @notice `account` was allowed (or no longer allowed) to move esHEU and to deposit.
    event ProtocolContractSet(address indexed account, bool allowed);
    /// @notice `from` (a protocol contract) deposited `amount` HEU and `to` received `amount` esHEU.
    event Deposited(address indexed from, address indexed to, uint256 amount);
    /// @notice `holder` burned `amount` esHEU and opened vesting position `positionId`.
    event VestingStarted(address indexed holder, uint256 indexed positionId, uint256 amount, uint64 start, uint64 end);
    /// @notice `holder` received `amount` vested HEU from position `positionId`.
    event VestedClaimed(address indexed holder, uint256 indexed positionId, uint256 amount);

    /// @notice esHEU moved between two accounts, and the caller is not a protocol contract.
    error TransferNotAllowed();
    /// @notice `caller` is not a protocol contract.
    error NotProtocolContract(address caller);
    /// @notice An amount of zero was given.
    error ZeroAmount();
    /// @notice The caller has no vesting position `positionId`.
    error UnknownPosition(uint256 positionId);
    /// @notice The position has nothing vested that is not already claimed.
    error NothingToClaim();

    /// @param heu_   The HEU token that backs esHEU.
    /// @param owner_ The owner, who manages the protocol contracts.
    constructor(IERC20 heu_, address owner_) ERC20("Escrowed Heurist", "esHEU") Ownable(owner_) {
        _heu = heu_;
    }

    /// @notice The HEU token that backs esHEU.
    function heu() external view returns (address) {
        return address(_heu);
    }

    /// @notice Allows or disallows `account` as a protocol contract: it may then move esHEU between accounts
    ///         (with the usual allowance for `transferFrom`) and deposit HEU for esHEU.
    /// @param account The contract (MinerStaking, RewardsDistributor).
    /// @param allowed Whether it is a protocol contract.
    function setProtocolContract(address account, bool allowed) external onlyOwner {
        _protocolContracts[account] = allowed;
        emit ProtocolContractSet(account, allowed);
    }

    /// @notice Whether `account` is a protocol contract.
    function isProtocolContract(address account) external view returns (bool) {
        return _protocolContracts[account];
    }

    /// @notice Pulls `amount` HEU from the caller (a protocol contract, which must have approved this contract) and
    ///         mints `amount` esHEU to `to`.
    /// @param to     Receives the esHEU.
    /// @param amount The amount in wei.
    function deposit(address to, uint256 amount) external {
        if (!_protocolContracts[msg.sender]) revert NotProtocolContract(msg.sender);
        if (amount == 0) revert ZeroAmount();
        _heu.safeTransferFrom(msg.sender, address(this), amount);
        _mint(to, amount);
        emit Deposited(msg.sender, to, amount);
    }

    /// @notice Burns `amount` of the caller's esHEU and opens a vesting position that unlocks the same amount of HEU
    ///         linearly over `VESTING_DURATION`.
    /// @param amount The amount in wei.
    /// @return positionId The caller's new position id (0, 1, 2, ... per holder).
    function vest(uint256 amount) external returns (uint256 positionId) {
        if (amount == 0) revert ZeroAmount();
        _burn(msg.sender, amount);
        Position[] storage positions = _positions[msg.sender];
        positionId = positions.length;
        uint64 start = uint64(block.timestamp);
        positions.push(Position({amount: SafeCast.toUint96(amount), claimed: 0, start: start}));
        emit VestingStarted(msg.sender, positionId, amount, start, start + uint64(VESTING_DURATION));
    }

    /// @notice Sends the caller the HEU vested in position `positionId` and not yet claimed.
    /// @param positionId The caller's position id.
    /// @return amount The HEU sent.
    function claimVested(uint256 positionId) external returns (uint256 amount) {
        Position[] storage positions = _positions[msg.sender];
        if (positionId >= positions.length) revert UnknownPosition(positionId);
        Position storage position = positions[positionId];
        Position memory p = position;
        amount = _vested(p) - p.claimed;
        if (amount == 0) revert NothingToClaim();
        position.claimed = p.claimed + uint96(amount);
        _heu.safeTransfer(msg.sender, amount);
        emit VestedClaimed(msg.sender, positionId, amount);
    }

    /// @notice The number of vesting positions `holder` has opened.
    function vestingCount(address holder) external view returns (uint256) {
        return _positions[holder].length;
    }

    /// @notice One vesting position of `holder`.
    /// @return amount  The HEU the position unlocks in total.
    /// @return claimed The HEU already claimed from it.
    /// @return start   When vesting started (unix seconds).
    /// @return end     When the position is fully vested (`start + VESTING_DURATION`).
    function vestingPosition(address holder, uint256 positionId)
        external
        view
        returns (uint256 amount, uint256 claimed, uint64 start, uint64 end)
    {
        Position memory p = _position(holder, positionId);
        return (p.amount, p.claimed, p.start, p.start + uint64(VESTING_DURATION));
    }

    /// @notice The HEU `holder` could claim now from position `positionId`.
    function claimable(address holder, uint256 positionId) external view returns (uint256) {
        Position memory p = _position(holder, positionId);
        return _vested(p) - p.claimed;
    }

    function _position(address holder, uint256 positionId) private view returns (Position memory) {
        Position[] storage positions = _positions[holder];
        if (positionId >= positions.length) revert UnknownPosition(positionId);
        return positions[positionId];
    }

    /// @dev Linearly vested amount at the current block time.
    function _vested(Position memory p) private view returns (uint256) {
        uint256 elapsed = block.timestamp - p.start;
        if (elapsed >= VESTING_DURATION) return p.amount;
        return uint256(p.amount) * elapsed / VESTING_DURATION;
    }

    /// @dev esHEU cannot move between two accounts unless a protocol contract moves it (MinerStaking pulling stake
    ///      with `transferFrom`, or returning it). Mints (deposit) and burns (vest) are always allowed.
    function _update(address from, address to, uint256 value) internal override {
        if (from != address(0) && to != address(0) && !_protocolContracts[msg.sender]) {
            revert TransferNotAllowed();
        }
        super._update(from, to, value);
    }
}
