/** The protocol's markers and their masking, where component tests and benchmarks have always imported them. */
export { maskForDisplay, secretSig, secretSigKey, unknownValue, type CapturedResource } from "./runtime/capture";
