//! Consultations: the officials' pages over HTTP, on both backends.
