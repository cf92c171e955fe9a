//! The widget's views. Only the commune picker keeps local state; the rest are functions of
//! [`crate::state::State`].

pub(crate) mod commune;
pub(crate) mod form;
pub(crate) mod lookup;
pub(crate) mod outbox;
pub(crate) mod receipt;
pub(crate) mod result;
