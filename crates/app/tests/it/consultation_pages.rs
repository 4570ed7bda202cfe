//! Consultations: the public pages and participation over HTTP, on both backends.
