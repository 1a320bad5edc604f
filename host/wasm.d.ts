// esbuild's binary loader turns an imported .wasm file into its bytes.
declare module "*.wasm" {
  const bytes: Uint8Array;
  export default bytes;
}

// The vDSO images (host/kernel/vdso/*.so), bundled as bytes like the core.
declare module "*.so" {
  const bytes: Uint8Array;
  export default bytes;
}
