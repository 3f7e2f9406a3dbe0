/**
 * The mock runtime's own shortcuts keep what the SDK records: a resource's
 * declaration still has its position, read from a trace V8 formats itself.
 */
import * as pulumi from "@pulumi/pulumi";
import { useMockRuntime } from "./pulumi";

useMockRuntime();

interface Position {
    file?: string;
    line?: number;
    column?: number;
}

test("the call sites a resource records still have a file, line and column, this file's among them", () => {
    const here = (pulumi.Resource as unknown as { callsites: () => Position[] }).callsites();
    const own = here.find((frame) => frame.file?.endsWith("pulumi.test.ts"));
    expect(own).toEqual({ file: __filename, line: expect.any(Number), column: expect.any(Number) });
    expect(here.filter((frame) => frame.file && frame.line && frame.column).length).toBeGreaterThan(3);
});

test("the worker's own stack formatter is back in place once the positions are read", () => {
    const before = Object.getOwnPropertyDescriptor(Error, "prepareStackTrace");
    (pulumi.Resource as unknown as { callsites: () => Position[] }).callsites();
    expect(Object.getOwnPropertyDescriptor(Error, "prepareStackTrace")).toEqual(before);
});
