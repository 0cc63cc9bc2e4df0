//! truce: the command-line tool and server binary.
//!
//! The library half holds what the binary and the integration tests share: reading a
//! scenario directory, the bundled demo scenario, starting the server, and the HTTP client
//! used by `submit` and `claims list`.

pub mod accounts;
pub mod bundle;
pub mod client;
pub mod demo_script;
pub mod intake;
pub mod logkey;
pub mod scenario_dir;
pub mod server;
pub mod verify;
pub mod witness;
