//! The import document (SPEC §8): placeholder until written.
