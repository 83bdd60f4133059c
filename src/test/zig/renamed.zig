//! Test script whose declared name differs from its file name: a scene listing it under
//! "renamed" must be refused after loading it (and must unload everything it loaded).

pub const name = "someone_else";
