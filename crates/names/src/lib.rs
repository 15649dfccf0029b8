//! The name model: how person and organisation names vary, and how to tell
//! two spellings of one name from two different names.

pub mod align;
pub mod fold;
pub mod table;
