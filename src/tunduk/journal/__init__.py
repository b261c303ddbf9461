"""Tamper-evident, append-only Merkle log (RFC 6962 / RFC 9162) with C2SP checkpoints.

No Django import: the Django side passes its raw DB-API connection to
:class:`SQLiteStorage` or :class:`PostgresStorage`, so a journal leaf is written in the
same transaction as the change it records (the storages never commit by themselves).

Pieces:

- hashing and proofs: :func:`leaf_hash`, :func:`node_hash`, :data:`EMPTY_ROOT`,
  :func:`merkle_root`, :func:`root_hash`, :func:`inclusion_proof`,
  :func:`consistency_proof`, :func:`verify_inclusion`, :func:`verify_consistency`;
- the log: :class:`Log` over a :class:`Storage` (:class:`MemoryStorage`,
  :class:`SQLiteStorage`, :class:`PostgresStorage`; DDL from :func:`schema_sql`);
- signed notes and checkpoints (C2SP signed-note, tlog-checkpoint): :class:`Signer`,
  :class:`Verifier`, :func:`generate_signer`, :func:`sign_note`, :func:`open_note`,
  :class:`Checkpoint`, :func:`sign_checkpoint`, :func:`open_checkpoint`;
- witnessing (C2SP tlog-cosignature): :func:`generate_cosigner`, :class:`Witness`;
- proof export (C2SP tlog-proof): :func:`format_tlog_proof`, :func:`parse_tlog_proof`,
  :func:`verify_tlog_proof`;
- audit: :func:`verify_log` returning a :class:`VerifyReport`; against a checkpoint kept
  outside the log: :func:`verify_trusted_checkpoint`, :func:`verify_cosignatures`;
- append-only tables: :func:`append_only_sql` (in :func:`schema_sql`) makes the database
  refuse UPDATE and DELETE of leaves, nodes and checkpoints.

Exceptions::

    JournalError                 base of everything raised here
    ├── ProofError               inclusion/consistency proof fails or cannot be made
    ├── NoteError                signed note malformed or not signed by a known key
    │   └── CheckpointError      checkpoint body malformed, or wrong origin
    ├── TlogProofError           tlog-proof malformed or does not verify
    ├── StorageError             storage inconsistent, misused (no transaction), missing rows
    └── WitnessError             witness refuses: unknown origin, bad signature,
                                 conflict, backwards, fork/inconsistent
"""

from ._checkpoint import Checkpoint, SignedCheckpoint, open_checkpoint, sign_checkpoint
from ._errors import (
    CheckpointError,
    JournalError,
    NoteError,
    ProofError,
    StorageError,
    TlogProofError,
    WitnessError,
)
from ._hashing import EMPTY_ROOT, HASH_SIZE, leaf_hash, merkle_root, node_hash
from ._keys import (
    NoteSigner,
    NoteVerifier,
    Signer,
    Verifier,
    generate_cosigner,
    generate_signer,
    key_id,
)
from ._log import Log
from ._note import Note, NoteSignature, add_signatures, open_note, sign_note
from ._proofs import (
    HashSource,
    consistency_proof,
    inclusion_proof,
    root_hash,
    verify_consistency,
    verify_inclusion,
)
from ._schema import (
    APPEND_ONLY_TABLES,
    Dialect,
    append_only_sql,
    create_schema,
    drop_append_only_sql,
    schema_sql,
)
from ._sql import PostgresStorage, SQLiteStorage
from ._storage import LeafRow, MemoryStorage, NodeRow, Storage, StoredCheckpoint
from ._tlogproof import TlogProof, format_tlog_proof, parse_tlog_proof, verify_tlog_proof
from ._trusted import verify_cosignatures, verify_trusted_checkpoint
from ._verify import VerifyFailure, VerifyReport, verify_log
from ._witness import MemoryWitnessState, SQLiteWitnessState, Witness, WitnessState

__all__ = [
    "APPEND_ONLY_TABLES",
    "EMPTY_ROOT",
    "HASH_SIZE",
    "Checkpoint",
    "CheckpointError",
    "Dialect",
    "HashSource",
    "JournalError",
    "LeafRow",
    "Log",
    "MemoryStorage",
    "MemoryWitnessState",
    "NodeRow",
    "Note",
    "NoteError",
    "NoteSignature",
    "NoteSigner",
    "NoteVerifier",
    "PostgresStorage",
    "ProofError",
    "SQLiteStorage",
    "SQLiteWitnessState",
    "SignedCheckpoint",
    "Signer",
    "Storage",
    "StorageError",
    "StoredCheckpoint",
    "TlogProof",
    "TlogProofError",
    "Verifier",
    "VerifyFailure",
    "VerifyReport",
    "Witness",
    "WitnessError",
    "WitnessState",
    "add_signatures",
    "append_only_sql",
    "consistency_proof",
    "create_schema",
    "drop_append_only_sql",
    "format_tlog_proof",
    "generate_cosigner",
    "generate_signer",
    "inclusion_proof",
    "key_id",
    "leaf_hash",
    "merkle_root",
    "node_hash",
    "open_checkpoint",
    "open_note",
    "parse_tlog_proof",
    "root_hash",
    "schema_sql",
    "sign_checkpoint",
    "sign_note",
    "verify_consistency",
    "verify_cosignatures",
    "verify_inclusion",
    "verify_log",
    "verify_tlog_proof",
    "verify_trusted_checkpoint",
]
