// assembly/layout.ts is shared with the Wasm core and uses AssemblyScript's
// integer type names; to TypeScript they are plain numbers.
type u8 = number;
type u16 = number;
type u32 = number;
type i32 = number;
type u64 = number;
type usize = number;
