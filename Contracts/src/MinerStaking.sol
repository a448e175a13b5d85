// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";

/// @title Miner staking
/// @notice Miners register an id; anyone stakes HEU or esHEU on a miner. Unstaking esHEU is immediate; unstaking
///         HEU opens a request that can be withdrawn after a 30-day cooldown. Stake moves between miners instantly and
///         keeps its kind. A miner's owner sets a bribe (the share of its rewards paid to its stakers) that takes
///         effect from the next epoch.
/// @dev Token kinds: 0 = HEU, 1 = esHEU. This contract must be a protocol contract of esHEU so that it can pull and
///      return esHEU. Amounts are kept in 128-bit fields: both tokens are capped at 1e27 < 2^128.
contract MinerStaking {
    using SafeERC20 for IERC20;
    using Checkpoints for Checkpoints.Trace208;

    /// @notice A miner counts as active when its total stake (HEU + esHEU) is at least this.
    uint256 public constant MIN_ACTIVE_STAKE = 10_000e18;
    /// @notice Cooldown between an HEU unstake request and its withdrawal.
    uint256 public constant HEU_COOLDOWN = 30 days;
    /// @notice Highest bribe, in basis points (100%).
    uint16 public constant MAX_BRIBE_BPS = 10_000;

    uint8 private constant KIND_HEU = 0;
    uint8 private constant KIND_ES_HEU = 1;

    /// @dev Stake per (staker, miner) or per miner or in total, both kinds in one slot.
    struct Balances {
        uint128 heu;
        uint128 esHeu;
    }

    /// @dev An HEU unstake request.
    struct Request {
        address staker;
        uint64 availableAt;
        bool withdrawn;
        bytes32 minerId;
        uint256 amount;
    }

    IERC20 private immutable _heu;
    IERC20 private immutable _esHeu;
    uint64 private immutable _epochLength;
    uint64 private immutable _genesis;

    mapping(bytes32 minerId => address) private _minerOwners;
    mapping(bytes32 minerId => Balances) private _minerStakes;
    mapping(address staker => mapping(bytes32 minerId => Balances)) private _stakes;
    /// @dev Bribe history per miner: key = first epoch in which the value applies.
    mapping(bytes32 minerId => Checkpoints.Trace208) private _bribes;
    mapping(uint256 requestId => Request) private _requests;
    Balances private _total;
    uint256 private _lastRequestId;

    /// @notice `owner` registered `minerId`.
    event MinerRegistered(bytes32 indexed minerId, address indexed owner);
    /// @notice `staker` staked `amount` of token `kind` on `minerId`.
    event Staked(address indexed staker, bytes32 indexed minerId, uint8 kind, uint256 amount);
    /// @notice `staker` unstaked `amount` of token `kind` (esHEU) from `minerId` and received it at once.
    event Unstaked(address indexed staker, bytes32 indexed minerId, uint8 kind, uint256 amount);
    /// @notice `staker` unstaked `amount` HEU from `minerId`; request `requestId` can be withdrawn at `availableAt`.
    event UnstakeRequested(
        address indexed staker, bytes32 indexed minerId, uint256 indexed requestId, uint256 amount, uint64 availableAt
    );
    /// @notice `staker` withdrew the `amount` HEU of request `requestId`.
    event Withdrawn(address indexed staker, uint256 indexed requestId, uint256 amount);
    /// @notice `staker` moved `amount` of token `kind` from `fromMiner` to `toMiner`.
    event StakeTransferred(
        address indexed staker, bytes32 indexed fromMiner, bytes32 indexed toMiner, uint8 kind, uint256 amount
    );
    /// @notice The bribe of `minerId` becomes `bps` from epoch `effectiveEpoch` on.
    event BribeSet(bytes32 indexed minerId, uint16 bps, uint64 effectiveEpoch);

    /// @notice `minerId` is already registered.
    error MinerAlreadyRegistered(bytes32 minerId);
    /// @notice `minerId` is not registered.
    error UnknownMiner(bytes32 minerId);
    /// @notice An amount of zero was given.
    error ZeroAmount();
    /// @notice `kind` is neither 0 (HEU) nor 1 (esHEU).
    error InvalidTokenKind(uint8 kind);
    /// @notice The stake is smaller than the amount asked for.
    error InsufficientStake(uint256 available, uint256 requested);
    /// @notice There is no unstake request `requestId`.
    error UnknownRequest(uint256 requestId);
    /// @notice The caller is not the staker of request `requestId`.
    error NotRequestOwner(uint256 requestId);
    /// @notice Request `requestId` cannot be withdrawn before `availableAt`.
    error CooldownNotOver(uint256 requestId, uint64 availableAt);
    /// @notice Request `requestId` was already withdrawn.
    error AlreadyWithdrawn(uint256 requestId);
    /// @notice Stake cannot be transferred from a miner to itself.
    error SameMiner();
    /// @notice `caller` is not the owner of `minerId`.
    error NotMinerOwner(bytes32 minerId, address caller);
    /// @notice `bps` is above `MAX_BRIBE_BPS`.
    error BribeTooHigh(uint16 bps);
    /// @notice The epoch length given to the constructor is zero.
    error InvalidEpochLength();

    /// @param heu_         The HEU token.
    /// @param esHeu_       The esHEU token (this contract must be made one of its protocol contracts).
    /// @param epochLength_ Epoch length in seconds; epoch 0 starts at deployment.
    constructor(IERC20 heu_, IERC20 esHeu_, uint64 epochLength_) {
        if (epochLength_ == 0) revert InvalidEpochLength();
        _heu = heu_;
        _esHeu = esHeu_;
        _epochLength = epochLength_;
        _genesis = uint64(block.timestamp);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Miners and bribes

    /// @notice Registers `minerId` with the caller as its owner.
    /// @param minerId The miner's id.
    function registerMiner(bytes32 minerId) external {
        if (_minerOwners[minerId] != address(0)) revert MinerAlreadyRegistered(minerId);
        _minerOwners[minerId] = msg.sender;
        emit MinerRegistered(minerId, msg.sender);
    }

    /// @notice Sets the share of the miner's rewards paid to its stakers, from the next epoch on. Only the miner's
    ///         owner. Setting it again within the same epoch replaces the pending value.
    /// @param minerId The miner's id.
    /// @param bps     The bribe in basis points (0 to 10,000).
    function setBribe(bytes32 minerId, uint16 bps) external {
        if (_minerOwners[minerId] != msg.sender) revert NotMinerOwner(minerId, msg.sender);
        if (bps > MAX_BRIBE_BPS) revert BribeTooHigh(bps);
        uint64 effectiveEpoch = currentEpoch() + 1;
        _bribes[minerId].push(SafeCast.toUint48(effectiveEpoch), bps);
        emit BribeSet(minerId, bps, effectiveEpoch);
    }

    /// @notice The bribe of `minerId` in `epoch` (past, current or future), in basis points.
    function bribeOf(bytes32 minerId, uint64 epoch) external view returns (uint16) {
        uint48 key = epoch > type(uint48).max ? type(uint48).max : uint48(epoch);
        return uint16(_bribes[minerId].upperLookupRecent(key));
    }

    /// @notice The owner of `minerId`, or the zero address when it is not registered.
    function minerOwner(bytes32 minerId) external view returns (address) {
        return _minerOwners[minerId];
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Staking

    /// @notice Stakes `amount` of token `kind` on `minerId`, pulling it from the caller (who must have approved this
    ///         contract).
    /// @param minerId A registered miner.
    /// @param kind    0 = HEU, 1 = esHEU.
    /// @param amount  The amount in wei.
    function stake(bytes32 minerId, uint8 kind, uint256 amount) external {
        IERC20 token = _token(kind);
        if (amount == 0) revert ZeroAmount();
        if (_minerOwners[minerId] == address(0)) revert UnknownMiner(minerId);
        uint128 value = SafeCast.toUint128(amount);

        _add(_stakes[msg.sender][minerId], kind, value);
        _add(_minerStakes[minerId], kind, value);
        _add(_total, kind, value);

        token.safeTransferFrom(msg.sender, address(this), amount);
        emit Staked(msg.sender, minerId, kind, amount);
    }

    /// @notice Removes `amount` of token `kind` from the caller's stake on `minerId` at once (it stops counting).
    ///         esHEU is sent back immediately; HEU opens a request that can be withdrawn after `HEU_COOLDOWN`.
    /// @param minerId The miner's id.
    /// @param kind    0 = HEU, 1 = esHEU.
    /// @param amount  The amount in wei.
    /// @return requestId The HEU unstake request (ids start at 1), or 0 for esHEU.
    function unstake(bytes32 minerId, uint8 kind, uint256 amount) external returns (uint256 requestId) {
        IERC20 token = _token(kind);
        if (amount == 0) revert ZeroAmount();
        uint128 value = _checkedAmount(_stakes[msg.sender][minerId], kind, amount);

        _sub(_stakes[msg.sender][minerId], kind, value);
        _sub(_minerStakes[minerId], kind, value);
        _sub(_total, kind, value);

        if (kind == KIND_ES_HEU) {
            token.safeTransfer(msg.sender, amount);
            emit Unstaked(msg.sender, minerId, kind, amount);
            return 0;
        }

        requestId = ++_lastRequestId;
        uint64 availableAt = uint64(block.timestamp + HEU_COOLDOWN);
        _requests[requestId] =
            Request({staker: msg.sender, availableAt: availableAt, withdrawn: false, minerId: minerId, amount: amount});
        emit UnstakeRequested(msg.sender, minerId, requestId, amount, availableAt);
    }

    /// @notice Sends the caller the HEU of unstake request `requestId` once its cooldown is over.
    /// @param requestId The request id.
    function withdraw(uint256 requestId) external {
        Request storage request = _requests[requestId];
        address staker = request.staker;
        if (staker == address(0)) revert UnknownRequest(requestId);
        if (staker != msg.sender) revert NotRequestOwner(requestId);
        if (request.withdrawn) revert AlreadyWithdrawn(requestId);
        uint64 availableAt = request.availableAt;
        if (block.timestamp < availableAt) revert CooldownNotOver(requestId, availableAt);

        request.withdrawn = true;
        uint256 amount = request.amount;
        _heu.safeTransfer(msg.sender, amount);
        emit Withdrawn(msg.sender, requestId, amount);
    }

    /// @notice Moves `amount` of the caller's stake of token `kind` from `fromMiner` to `toMiner`, instantly and
    ///         without moving tokens.
    /// @param fromMiner The miner the stake leaves.
    /// @param toMiner   A registered miner the stake goes to.
    /// @param kind      0 = HEU, 1 = esHEU.
    /// @param amount    The amount in wei.
    function transferStake(bytes32 fromMiner, bytes32 toMiner, uint8 kind, uint256 amount) external {
        _token(kind);
        if (amount == 0) revert ZeroAmount();
        if (fromMiner == toMiner) revert SameMiner();
        if (_minerOwners[toMiner] == address(0)) revert UnknownMiner(toMiner);
        uint128 value = _checkedAmount(_stakes[msg.sender][fromMiner], kind, amount);

        _sub(_stakes[msg.sender][fromMiner], kind, value);
        _sub(_minerStakes[fromMiner], kind, value);
        _add(_stakes[msg.sender][toMiner], kind, value);
        _add(_minerStakes[toMiner], kind, value);
        emit StakeTransferred(msg.sender, fromMiner, toMiner, kind, amount);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Views

    /// @notice The HEU token.
    function heu() external view returns (address) {
        return address(_heu);
    }

    /// @notice The esHEU token.
    function esHeu() external view returns (address) {
        return address(_esHeu);
    }

    /// @notice Epoch length in seconds.
    function epochLength() external view returns (uint64) {
        return _epochLength;
    }

    /// @notice Start of epoch 0 (the deployment time, unix seconds).
    function genesis() external view returns (uint64) {
        return _genesis;
    }

    /// @notice The current epoch: (block.timestamp - genesis) / epochLength.
    function currentEpoch() public view returns (uint64) {
        return uint64((block.timestamp - _genesis) / _epochLength);
    }

    /// @notice The stake of `staker` on `minerId` in token `kind`.
    function stakeOf(address staker, bytes32 minerId, uint8 kind) external view returns (uint256) {
        _token(kind);
        Balances storage b = _stakes[staker][minerId];
        return kind == KIND_HEU ? b.heu : b.esHeu;
    }

    /// @notice The total stake on `minerId`, per kind.
    function minerStake(bytes32 minerId) external view returns (uint256 heuStaked, uint256 esHeuStaked) {
        Balances memory b = _minerStakes[minerId];
        return (b.heu, b.esHeu);
    }

    /// @notice Whether `minerId` has at least `MIN_ACTIVE_STAKE` staked (HEU and esHEU together).
    function isActive(bytes32 minerId) external view returns (bool) {
        Balances memory b = _minerStakes[minerId];
        return uint256(b.heu) + b.esHeu >= MIN_ACTIVE_STAKE;
    }

    /// @notice The total stake in this contract, per kind (HEU in cooldown is not counted).
    function totalStaked() external view returns (uint256 heuStaked, uint256 esHeuStaked) {
        Balances memory b = _total;
        return (b.heu, b.esHeu);
    }

    /// @notice An HEU unstake request.
    function unstakeRequest(uint256 requestId)
        external
        view
        returns (address staker, bytes32 minerId, uint256 amount, uint64 availableAt, bool withdrawn)
    {
        Request storage r = _requests[requestId];
        if (r.staker == address(0)) revert UnknownRequest(requestId);
        return (r.staker, r.minerId, r.amount, r.availableAt, r.withdrawn);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Internals

    function _token(uint8 kind) private view returns (IERC20) {
        if (kind == KIND_HEU) return _heu;
        if (kind == KIND_ES_HEU) return _esHeu;
        revert InvalidTokenKind(kind);
    }

    /// @dev Reverts with InsufficientStake unless `b` holds at least `amount` of `kind`.
    function _checkedAmount(Balances storage b, uint8 kind, uint256 amount) private view returns (uint128) {
        uint256 available = kind == KIND_HEU ? b.heu : b.esHeu;
        if (amount > available) revert InsufficientStake(available, amount);
        return uint128(amount);
    }

    function _add(Balances storage b, uint8 kind, uint128 value) private {
        if (kind == KIND_HEU) b.heu += value;
        else b.esHeu += value;
    }

    /// @dev Callers have checked that the stake covers `value`; totals always cover a single stake.
    function _sub(Balances storage b, uint8 kind, uint128 value) private {
        unchecked {
            if (kind == KIND_HEU) b.heu -= value;
            else b.esHeu -= value;
        }
    }
}
