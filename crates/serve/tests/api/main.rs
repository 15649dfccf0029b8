//! The API and server over a knowledge base built from `examples/corpus`
//! with the product's pipeline (once per run of this test binary).

mod consistency;
mod contract;
mod damage;
mod fixture;
mod hostile;
mod network;
mod screening;
