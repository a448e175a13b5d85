// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {HeuristToken} from "./HeuristToken.sol";
import {EscrowedHeurist} from "./EscrowedHeurist.sol";

/// @title Rewards distributor
/// @notice Mints the mining half of HEU (500,000,000) along a linear schedule over 120 months, counted as 120 periods
///         of 30 days (3,600 days), and pays it out per epoch through Merkle roots posted by the settlement key.
///         Each leaf pays an account some HEU and some esHEU (deposited as HEU into esHEU).
/// @dev Leaves follow OpenZeppelin's StandardMerkleTree: `keccak256(bytes.concat(keccak256(abi.encode(epoch, account,
///      heuAmount, esHeuAmount))))` with types (uint256, address, uint256, uint256), sorted-pair hashing.
///      This contract must be the HEU minter and a protocol contract of esHEU.
contract RewardsDistributor is Ownable {
    using SafeERC20 for IERC20;

    /// @notice The HEU minted through this contract over the whole schedule.
    uint256 public constant MINING_EMISSION = 500_000_000e18;
    /// @notice Length of the emission schedule: 120 months of 30 days (3,600 days).
    uint256 public constant EMISSION_DURATION = 120 * 30 days;

    /// @dev Per epoch: the root, the HEU and esHEU still to be claimed (a tree whose leaves add up to more than the
    ///      posted totals can never pay out more than them), and whether the epoch was posted.
    struct Epoch {
        bytes32 root;
        uint120 heuRemaining;
        uint120 esHeuRemaining;
        bool posted;
    }

    HeuristToken private immutable _heu;
    EscrowedHeurist private immutable _esHeu;
    uint64 private immutable _start;

    address private _settlementKey;
    uint256 private _totalEmitted;
    mapping(uint256 epoch => Epoch) private _epochs;
    mapping(uint256 epoch => mapping(address account => bool)) private _claimed;

    /// @notice The settlement key is now `key`.
    event SettlementKeySet(address indexed key);
    /// @notice The root of `epoch` was posted, and `heuTotal + esHeuTotal` HEU minted for it.
    event RootPosted(uint256 indexed epoch, bytes32 root, uint256 heuTotal, uint256 esHeuTotal);
    /// @notice `account` was paid its rewards for `epoch`.
    event Claimed(uint256 indexed epoch, address indexed account, uint256 heuAmount, uint256 esHeuAmount);

    /// @notice `caller` is not the settlement key.
    error NotSettlementKey(address caller);
    /// @notice A root for `epoch` was already posted.
    error EpochAlreadyPosted(uint256 epoch);
    /// @notice Posting `requested` would emit more than the schedule allows; `available` is what is left now.
    error EmissionExceeded(uint256 requested, uint256 available);
    /// @notice No root was posted for `epoch`.
    error UnknownEpoch(uint256 epoch);
    /// @notice The proof does not lead from the leaf to the epoch's root.
    error InvalidProof();
    /// @notice `account` has already claimed for `epoch`.
    error AlreadyClaimed(uint256 epoch, address account);
    /// @notice The claim would pay out more than the totals posted for `epoch` (the tree does not match its totals).
    error EpochBudgetExceeded(uint256 epoch);

    /// @param heu_           The HEU token (this contract must be set as its minter).
    /// @param esHeu_         The esHEU token (this contract must be one of its protocol contracts).
    /// @param settlementKey_ The key that posts epoch roots.
    /// @param owner_         The owner, who may change the settlement key.
    constructor(HeuristToken heu_, EscrowedHeurist esHeu_, address settlementKey_, address owner_) Ownable(owner_) {
        _heu = heu_;
        _esHeu = esHeu_;
        _start = uint64(block.timestamp);
        _settlementKey = settlementKey_;
        emit SettlementKeySet(settlementKey_);
        // esHEU pulls the HEU behind every esHEU payout; an unlimited allowance is never decreased by OZ's ERC20.
        IERC20(address(heu_)).forceApprove(address(esHeu_), type(uint256).max);
    }

    /// @notice Changes the key that posts epoch roots. Only the owner.
    /// @param key The new settlement key.
    function setSettlementKey(address key) external onlyOwner {
        _settlementKey = key;
        emit SettlementKeySet(key);
    }

    /// @notice Posts the Merkle root of `epoch` and mints the HEU it pays out. Only the settlement key, once per epoch,
    ///         and never beyond the emission schedule.
    /// @param epoch      The epoch.
    /// @param root       The root of the epoch's StandardMerkleTree.
    /// @param heuTotal   The HEU paid out as HEU by all leaves together.
    /// @param esHeuTotal The HEU paid out as esHEU by all leaves together.
    function postRoot(uint256 epoch, bytes32 root, uint256 heuTotal, uint256 esHeuTotal) external {
        if (msg.sender != _settlementKey) revert NotSettlementKey(msg.sender);
        Epoch storage e = _epochs[epoch];
        if (e.posted) revert EpochAlreadyPosted(epoch);
        uint256 requested;
        unchecked {
            requested = heuTotal + esHeuTotal;
            if (requested < heuTotal) requested = type(uint256).max; // saturate instead of overflowing
        }
        uint256 emitted = _totalEmitted;
        uint256 available = emissionAllowed(block.timestamp) - emitted;
        if (requested > available) revert EmissionExceeded(requested, available);

        _totalEmitted = emitted + requested;
        // Both totals are at most MINING_EMISSION < 2^120.
        _epochs[epoch] = Epoch({
            root: root, heuRemaining: uint120(heuTotal), esHeuRemaining: uint120(esHeuTotal), posted: true
        });
        if (requested != 0) _heu.mint(address(this), requested);
        emit RootPosted(epoch, root, heuTotal, esHeuTotal);
    }

    /// @notice Pays `account` its rewards for `epoch`: HEU directly and esHEU through a deposit into esHEU. Anyone may
    ///         submit the claim.
    /// @param epoch       The epoch.
    /// @param account     The receiver named in the leaf.
    /// @param heuAmount   The HEU in the leaf.
    /// @param esHeuAmount The esHEU in the leaf.
    /// @param proof       The Merkle proof of the leaf.
    function claim(uint256 epoch, address account, uint256 heuAmount, uint256 esHeuAmount, bytes32[] calldata proof)
        external
    {
        Epoch storage e = _epochs[epoch];
        if (!e.posted) revert UnknownEpoch(epoch);
        if (_claimed[epoch][account]) revert AlreadyClaimed(epoch, account);
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(epoch, account, heuAmount, esHeuAmount))));
        if (!MerkleProof.verifyCalldata(proof, e.root, leaf)) revert InvalidProof();

        uint120 heuRemaining = e.heuRemaining;
        uint120 esHeuRemaining = e.esHeuRemaining;
        if (heuAmount > heuRemaining || esHeuAmount > esHeuRemaining) revert EpochBudgetExceeded(epoch);
        unchecked {
            e.heuRemaining = heuRemaining - uint120(heuAmount);
            e.esHeuRemaining = esHeuRemaining - uint120(esHeuAmount);
        }
        _claimed[epoch][account] = true;

        if (heuAmount != 0) IERC20(address(_heu)).safeTransfer(account, heuAmount);
        if (esHeuAmount != 0) _esHeu.deposit(account, esHeuAmount);
        emit Claimed(epoch, account, heuAmount, esHeuAmount);
    }

    /// @notice The HEU the schedule allows to have been emitted in total at `timestamp`:
    ///         MINING_EMISSION * min(timestamp - start, EMISSION_DURATION) / EMISSION_DURATION (0 before the start).
    function emissionAllowed(uint256 timestamp) public view returns (uint256) {
        uint256 start = _start;
        if (timestamp <= start) return 0;
        uint256 elapsed = timestamp - start;
        if (elapsed >= EMISSION_DURATION) return MINING_EMISSION;
        return MINING_EMISSION * elapsed / EMISSION_DURATION;
    }

    /// @notice The HEU minted so far for posted epochs.
    function totalEmitted() external view returns (uint256) {
        return _totalEmitted;
    }

    /// @notice The root posted for `epoch` (zero when none was posted).
    function epochRoot(uint256 epoch) external view returns (bytes32) {
        return _epochs[epoch].root;
    }

    /// @notice Whether `account` has claimed its rewards for `epoch`.
    function isClaimed(uint256 epoch, address account) external view returns (bool) {
        return _claimed[epoch][account];
    }

    /// @notice The key that posts epoch roots.
    function settlementKey() external view returns (address) {
        return _settlementKey;
    }

    /// @notice The HEU token.
    function heu() external view returns (address) {
        return address(_heu);
    }

    /// @notice The esHEU token.
    function esHeu() external view returns (address) {
        return address(_esHeu);
    }

    /// @notice When the emission schedule started (the deployment time, unix seconds).
    function emissionStart() external view returns (uint64) {
        return _start;
    }
}
