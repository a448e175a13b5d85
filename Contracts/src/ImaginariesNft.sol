// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @title Heurist Imaginaries
/// @notice ERC-721 of images generated on Heurist. The studio signer authorizes each mint with an EIP-712
///         `MintAuthorization`; anyone may submit it (the portal's paymaster sponsors the gas). The token id is the
///         image's sha256 (`uint256(imageHash)`), so an image can be minted once; that is also the replay protection.
/// @dev Token URIs are kept where they cost least gas to write. Up to 60 bytes: in storage, packed as a 4-byte length
///      prefix followed by the bytes in consecutive slots from a per-token base slot (at most 2 slots). Longer: as the
///      code of a contract deployed with CREATE2 (salt = token id, fixed constructor), at 200 gas per byte instead of
///      22,100 per 32 bytes; an 85-byte IPFS URI costs about 50,000 gas this way instead of 66,300 (3 slots) or 88,400
///      (a Solidity string). tokenURI reads the storage form when its first slot is set, else the code form.
contract ImaginariesNft is ERC721, EIP712, Ownable {
    /// @notice EIP-712 type hash of the mint authorization the studio signer signs.
    bytes32 public constant MINT_AUTHORIZATION_TYPEHASH =
        keccak256("MintAuthorization(address to,bytes32 imageHash,string modelId,string uri,uint256 deadline)");

    /// @dev Seed of the URI storage: the URI of `tokenId` starts at slot keccak256(abi.encode(tokenId, seed)).
    uint256 private constant _URI_SEED = uint256(keccak256("heurist.imaginaries.uri"));
    /// @dev URIs up to this length are kept in storage (4-byte prefix + 60 bytes = 2 slots).
    uint256 private constant _MAX_STORAGE_URI = 60;
    /// @dev Longest URI that fits in contract code after the leading 0x00 (EIP-170 limit of 24,576 bytes).
    uint256 private constant _MAX_CODE_URI = 24_575;
    /// @dev Transient slot of the URI being minted (length), followed by its 32-byte words.
    uint256 private constant _PENDING_URI_SLOT = uint256(keccak256("heurist.imaginaries.pending-uri"));
    /// @dev Constructor of the contracts that keep long URIs as code (45 bytes):
    ///      PUSH4 selector PUSH0 MSTORE                        mstore(0, pendingTokenUri.selector)
    ///      PUSH0 PUSH0 PUSH1 4 PUSH1 28 CALLER GAS STATICCALL  staticcall(gas(), caller(), 28, 4, 0, 0)
    ///      PUSH1 0x16 JUMPI PUSH0 PUSH0 REVERT JUMPDEST        if iszero(success) { revert(0, 0) }
    ///      PUSH1 32 PUSH1 32 PUSH0 RETURNDATACOPY             returndatacopy(0, 32, 32)  (the string's length)
    ///      PUSH0 MLOAD DUP1 PUSH1 64 PUSH1 1 RETURNDATACOPY    returndatacopy(1, 64, len) (its bytes)
    ///      PUSH0 PUSH0 MSTORE8 PUSH1 1 ADD PUSH0 RETURN       mstore8(0, 0) return(0, len + 1)
    bytes private constant _URI_INIT_CODE = abi.encodePacked(
        hex"63",
        ImaginariesNft.pendingTokenUri.selector,
        hex"5f525f5f6004601c335afa6016575f5ffd5b602060205f3e5f5180604060013e5f5f536001015ff3"
    );
    bytes32 private constant _URI_INIT_CODE_HASH = keccak256(_URI_INIT_CODE);

    address private _studioSigner;

    /// @notice The studio signer is now `signer`.
    event StudioSignerSet(address indexed signer);
    /// @notice Image `imageHash` was minted to `to` as token `tokenId`.
    event ImageMinted(uint256 indexed tokenId, address indexed to, bytes32 indexed imageHash, string modelId, string uri);

    /// @notice The authorization's deadline has passed.
    error AuthorizationExpired(uint256 deadline);
    /// @notice The signature is malformed or was not made by the studio signer (`recovered` is who signed, or zero).
    error InvalidAuthorization(address recovered);
    /// @notice `imageHash` was already minted.
    error ImageAlreadyMinted(bytes32 imageHash);
    /// @notice The contract that keeps the URI as code could not be deployed (out of gas).
    error UriStorageFailed();

    /// @param studioSigner_ The key that signs mint authorizations.
    /// @param owner_        The owner, who may change the studio signer.
    constructor(address studioSigner_, address owner_)
        ERC721("Heurist Imaginaries", "IMAGINE")
        EIP712("Heurist Imaginaries", "1")
        Ownable(owner_)
    {
        _studioSigner = studioSigner_;
        emit StudioSignerSet(studioSigner_);
    }

    /// @notice Changes the key that signs mint authorizations. Only the owner.
    /// @param signer The new studio signer.
    function setStudioSigner(address signer) external onlyOwner {
        _studioSigner = signer;
        emit StudioSignerSet(signer);
    }

    /// @notice The key that signs mint authorizations.
    function studioSigner() external view returns (address) {
        return _studioSigner;
    }

    /// @notice Mints image `imageHash` to `to` with an authorization signed by the studio signer. Anyone may call.
    /// @param to        The receiver (the creator's wallet).
    /// @param imageHash The image's sha256; the token id is `uint256(imageHash)`.
    /// @param modelId   The model that generated the image.
    /// @param uri       The token URI (metadata).
    /// @param deadline  Last unix second at which the authorization can be used.
    /// @param signature The studio signer's 65-byte signature over `hashMintAuthorization(...)`.
    /// @return tokenId  `uint256(imageHash)`.
    function mint(
        address to,
        bytes32 imageHash,
        string calldata modelId,
        string calldata uri,
        uint256 deadline,
        bytes calldata signature
    ) external returns (uint256 tokenId) {
        if (block.timestamp > deadline) revert AuthorizationExpired(deadline);
        tokenId = uint256(imageHash);
        if (_ownerOf(tokenId) != address(0)) revert ImageAlreadyMinted(imageHash);

        bytes32 digest = _hashMintAuthorization(to, imageHash, modelId, uri, deadline);
        (address recovered, ECDSA.RecoverError err,) = ECDSA.tryRecoverCalldata(digest, signature);
        if (err != ECDSA.RecoverError.NoError || recovered != _studioSigner) revert InvalidAuthorization(recovered);

        _mint(to, tokenId);
        _storeUri(tokenId, uri);
        emit ImageMinted(tokenId, to, imageHash, modelId, uri);
    }

    /// @notice The EIP-712 digest (domain "Heurist Imaginaries", version "1") of a mint authorization.
    function hashMintAuthorization(
        address to,
        bytes32 imageHash,
        string calldata modelId,
        string calldata uri,
        uint256 deadline
    ) external view returns (bytes32) {
        return _hashMintAuthorization(to, imageHash, modelId, uri, deadline);
    }

    /// @notice Whether `imageHash` has been minted.
    function isMinted(bytes32 imageHash) external view returns (bool) {
        return _ownerOf(uint256(imageHash)) != address(0);
    }

    /// @notice The URI stored at mint. Reverts with `ERC721NonexistentToken` for an unknown token.
    function tokenURI(uint256 tokenId) public view override returns (string memory) {
        _requireOwned(tokenId);
        return _loadUri(tokenId);
    }

    function _hashMintAuthorization(
        address to,
        bytes32 imageHash,
        string calldata modelId,
        string calldata uri,
        uint256 deadline
    ) private view returns (bytes32) {
        return _hashTypedDataV4(
            keccak256(
                abi.encode(
                    MINT_AUTHORIZATION_TYPEHASH, to, imageHash, keccak256(bytes(modelId)), keccak256(bytes(uri)), deadline
                )
            )
        );
    }

    function _uriBaseSlot(uint256 tokenId) private pure returns (uint256 slot) {
        uint256 seed = _URI_SEED;
        assembly ("memory-safe") {
            mstore(0x00, tokenId)
            mstore(0x20, seed)
            slot := keccak256(0x00, 0x40)
        }
    }

    /// @dev The address of the code that holds the URI of `tokenId` when it is kept as code.
    function _uriPointer(uint256 tokenId) private view returns (address) {
        return address(
            uint160(uint256(keccak256(abi.encodePacked(bytes1(0xff), address(this), tokenId, _URI_INIT_CODE_HASH))))
        );
    }

    /// @dev Keeps `uri` where it is cheapest: up to 60 bytes in storage (at most 2 slots), longer as contract code
    ///      (200 gas per byte instead of 22,100 per 32 bytes), and beyond the code size limit in storage again.
    function _storeUri(uint256 tokenId, string calldata uri) private {
        uint256 length = bytes(uri).length;
        if (length <= _MAX_STORAGE_URI || length > _MAX_CODE_URI) _storeUriInStorage(tokenId, uri);
        else _storeUriAsCode(tokenId, uri);
    }

    /// @dev Writes `uint32(len) ++ uri` into ceil((len + 4) / 32) slots from the base slot, zero-padded. Nothing is
    ///      written for an empty URI.
    function _storeUriInStorage(uint256 tokenId, string calldata uri) private {
        if (bytes(uri).length == 0) return;
        uint256 base = _uriBaseSlot(tokenId);
        assembly ("memory-safe") {
            let len := uri.length
            let ptr := mload(0x40) // scratch past the free memory pointer; not kept
            let words := shr(5, add(len, 35))
            mstore(add(ptr, shl(5, sub(words, 1))), 0)
            mstore(ptr, shl(224, len))
            calldatacopy(add(ptr, 4), uri.offset, len)
            for { let i := 0 } lt(i, words) { i := add(i, 1) } {
                sstore(add(base, i), mload(add(ptr, shl(5, i))))
            }
        }
    }

    /// @dev Deploys, with CREATE2 and salt `tokenId`, a contract whose code is `0x00 ++ uri` (it stops at once if
    ///      called). Its constructor is fixed (`_URI_INIT_CODE`), so the address follows from the token id alone; the
    ///      constructor reads the URI back through `pendingTokenUri()`, which serves it from transient storage.
    function _storeUriAsCode(uint256 tokenId, string calldata uri) private {
        bytes memory initCode = _URI_INIT_CODE;
        uint256 pending = _PENDING_URI_SLOT;
        address pointer;
        assembly ("memory-safe") {
            let len := uri.length
            let ptr := mload(0x40) // scratch past the free memory pointer; not kept
            let words := shr(5, add(len, 31))
            mstore(add(ptr, shl(5, sub(words, 1))), 0)
            calldatacopy(ptr, uri.offset, len)
            tstore(pending, len)
            for { let i := 0 } lt(i, words) { i := add(i, 1) } {
                tstore(add(pending, add(i, 1)), mload(add(ptr, shl(5, i))))
            }
            pointer := create2(0, add(initCode, 0x20), mload(initCode), tokenId)
            tstore(pending, 0)
        }
        if (pointer == address(0)) revert UriStorageFailed();
    }

    /// @notice The URI of the mint in progress, read by the constructor of the contract that keeps it as code
    ///         (empty outside a mint).
    function pendingTokenUri() external view returns (string memory) {
        uint256 pending = _PENDING_URI_SLOT;
        assembly ("memory-safe") {
            let len := tload(pending)
            let ptr := mload(0x40)
            mstore(ptr, 0x20)
            mstore(add(ptr, 0x20), len)
            let words := shr(5, add(len, 31))
            for { let i := 0 } lt(i, words) { i := add(i, 1) } {
                mstore(add(ptr, add(0x40, shl(5, i))), tload(add(pending, add(i, 1))))
            }
            return(ptr, add(0x40, shl(5, words)))
        }
    }

    /// @dev Reads back what `_storeUri` wrote: the storage form when its first slot is set, else the code form.
    function _loadUri(uint256 tokenId) private view returns (string memory uri) {
        uint256 base = _uriBaseSlot(tokenId);
        uint256 first;
        assembly ("memory-safe") {
            first := sload(base)
        }
        if (first == 0) {
            address pointer = _uriPointer(tokenId);
            uint256 size = pointer.code.length;
            if (size == 0) return "";
            assembly ("memory-safe") {
                uri := mload(0x40)
                let len := sub(size, 1)
                mstore(uri, len)
                mstore(add(add(uri, 0x20), and(len, not(31))), 0) // zero padding after the last byte
                extcodecopy(pointer, add(uri, 0x20), 1, len)
                mstore(0x40, add(uri, add(0x40, and(add(len, 31), not(31)))))
            }
            return uri;
        }
        assembly ("memory-safe") {
            uri := mload(0x40)
            let len := shr(224, first)
            let words := shr(5, add(len, 35))
            // The 4-byte prefix lands in the low bytes of the length word, which is written last.
            mstore(add(uri, 28), first)
            for { let i := 1 } lt(i, words) { i := add(i, 1) } {
                mstore(add(add(uri, 28), shl(5, i)), sload(add(base, i)))
            }
            mstore(uri, len)
            mstore(0x40, add(uri, add(64, and(add(len, 31), not(31)))))
        }
    }
}
