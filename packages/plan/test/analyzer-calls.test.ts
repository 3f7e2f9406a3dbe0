/**
 * Calls to a pack: a bounded number in flight however many resources stream in,
 * each answered, in the order they were asked. The pack here is a gRPC analyzer that
 * answers after a delay and counts the calls it holds at once.
 */
import * as grpc from "@grpc/grpc-js";
import { AnalyzerService } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import { PolicyPackServer } from "../src/analyzer";
import type { CapturedResource } from "../src/runtime/capture";

const bucket = (i: number): CapturedResource => ({
    urn: `urn:pulumi:dev::calls::aws:s3/bucket:Bucket::bucket-${i}`,
    type: "aws:s3/bucket:Bucket",
    name: `bucket-${i}`,
    custom: true,
    read: false,
    options: {
        protect: false,
        retainOnDelete: false,
        deleteBeforeReplace: false,
        ignoreChanges: [],
        replaceOnChanges: [],
        additionalSecretOutputs: [],
        aliases: [],
        dependsOn: [],
    },
    inputs: { bucket: `bucket-${i}` },
});

let server: grpc.Server;
let port: number;
const seen: string[] = [];
let holding = 0;
let mostHeld = 0;

beforeAll(async () => {
    server = new grpc.Server();
    server.addService(AnalyzerService, {
        analyze: (
            call: grpc.ServerUnaryCall<analyzerPb.AnalyzeRequest, analyzerPb.AnalyzeResponse>,
            callback: grpc.sendUnaryData<analyzerPb.AnalyzeResponse>,
        ) => {
            seen.push(call.request.getName());
            holding++;
            mostHeld = Math.max(mostHeld, holding);
            setTimeout(() => {
                holding--;
                const res = new analyzerPb.AnalyzeResponse();
                const d = new analyzerPb.AnalyzeDiagnostic();
                d.setPolicyname("named");
                d.setPolicypackname("calls");
                d.setMessage(`judged ${call.request.getName()}`);
                d.setEnforcementlevel(analyzerPb.EnforcementLevel.ADVISORY);
                res.setDiagnosticsList([d]);
                callback(null, res);
            }, 2);
        },
    });
    port = await new Promise<number>((resolve, reject) =>
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    );
});

afterAll(() => server.forceShutdown());

test("three hundred resources at once: at most sixteen calls in flight, every one answered, asked in order", async () => {
    const pack = PolicyPackServer.connect(__dirname, port);
    const resources = Array.from({ length: 300 }, (_, i) => bucket(i));
    const answers = await Promise.all(resources.map((r) => pack.analyze(r, new Map())));
    await pack.stop();
    expect(answers.map((a) => a.map((v) => v.message))).toEqual(resources.map((r) => [`judged ${r.name}`]));
    expect(answers.flat().every((v, i) => v.urn === resources[i].urn)).toBe(true);
    expect(seen).toEqual(resources.map((r) => r.name));
    expect(mostHeld).toBe(16);
});
