pub use crate::kernel::pdf::*;
