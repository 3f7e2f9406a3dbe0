import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import type { AddressInfo } from "node:net";
import { main } from "./cli";
import { fakeClock, recordings, startRecordedServer } from "./fixtures/recorded-server";

const repoRoot = path.resolve(__dirname, "../../..");
let dir: string;
beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "verify-cli-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: unknown): string {
    const target = path.join(dir, name);
    fs.writeFileSync(target, typeof content === "string" ? content : JSON.stringify(content));
    return target;
}

async function run(argv: string[]) {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const code = await main(argv, { stdout: (line) => stdout.push(line), stderr: (line) => stderr.push(line) }, fakeClock());
    return { code, stdout, stderr };
}

async function healthServer(status: number): Promise<{ url: string; close: () => void }> {
    const server = http.createServer((req, res) => {
        res.writeHead(status);
        res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`, close: () => server.close() };
}

describe("bad input exits 2 with a message naming the file and what is wrong", () => {
    test("no --file", async () => {
        const { code, stderr } = await run([]);
        expect(code).toBe(2);
        expect(stderr.join("\n")).toMatch(/required option '-f, --file <file>' not specified\. Usage: /);
    });

    test("a file that does not exist", async () => {
        const missing = path.join(dir, "verification.json");
        const { code, stderr } = await run(["--file", missing]);
        expect(code).toBe(2);
        expect(stderr).toEqual([`error: ${missing}: cannot be read (ENOENT: no such file or directory, open '${missing}').`]);
    });

    test("a file that is not JSON", async () => {
        const bad = file("verification.json", "rollouts: []");
        const { code, stderr } = await run(["--file", bad]);
        expect(code).toBe(2);
        expect(stderr[0]).toMatch(new RegExp(`^error: ${bad}: is not JSON \\(`));
    });

    test("a file whose fields are wrong lists each field", async () => {
        const bad = file("verification.json", {
            rollouts: [
                { kind: "aws-ecs-service", region: "eu-west-1", cluster: "c" },
                { kind: "azure-vmss", name: "x" },
            ],
            healthChecks: [{ name: "api", url: "ftp://example.com/" }],
        });
        const { code, stderr } = await run(["--file", bad]);
        expect(code).toBe(2);
        const message = stderr.join("\n");
        expect(message).toContain(`error: ${bad}: not a verification`);
        expect(message).toContain("  rollouts[0].service: Invalid input: expected string, received undefined");
        expect(message).toContain("  rollouts[1].kind: Invalid discriminator value.");
        expect(message).toContain("  healthChecks[0].url: expected an http:// or https:// URL");
    });

    test("a timeout that is no number of seconds", async () => {
        const good = file("verification.json", { rollouts: [], healthChecks: [] });
        const { code, stderr } = await run(["--file", good, "--timeout", "soon"]);
        expect(code).toBe(2);
        expect(stderr).toEqual(["error: --timeout soon: expected a number of seconds above 0."]);
    });
});

test("--help prints the usage and exits 0", async () => {
    const { code, stdout } = await run(["--help"]);
    expect(code).toBe(0);
    expect(stdout.join("\n")).toContain("--file <file>");
});

test("every check ok: a line per check and exit 0; the whole of `pulumi stack output --json` is read too", async () => {
    const server = await healthServer(200);
    try {
        const outputs = file("outputs.json", { url: "https://example.com", verification: { rollouts: [], healthChecks: [{ name: "api", url: server.url }] } });
        const { code, stdout, stderr } = await run(["--file", outputs]);
        expect(code).toBe(0);
        expect(stdout).toEqual([`ok    health api  healthy  ${server.url}: HTTP 200`]);
        expect(stderr).toEqual(["1 of 1 checks ok"]);
    } finally {
        server.close();
    }
});

test("a failing check exits 1; --json prints the results", async () => {
    const server = await healthServer(503);
    try {
        const verification = file("verification.json", { rollouts: [], healthChecks: [{ name: "api", url: server.url }] });
        const { code, stdout } = await run(["--file", verification, "--json", "--timeout", "60", "--poll", "1"]);
        expect(code).toBe(1);
        expect(JSON.parse(stdout.join("\n"))).toEqual({
            ok: false,
            results: [{ target: "health api", ok: false, state: "unhealthy", detail: `${server.url}: HTTP 503 (3 attempts)` }],
        });
    } finally {
        server.close();
    }
});

/** Runs the CLI as the deploy job does, in a process of its own; this process goes on serving recorded answers meanwhile. */
async function runProgram(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const child = spawn(process.execPath, ["--require", "pulumi-offline-plan/register", path.join(__dirname, "cli.ts"), ...args], { cwd: repoRoot, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    return { code, stdout, stderr };
}

test("run as a program, it reads the cluster from $KUBECONFIG, polls until the rollout settles, and exits 1 when one workload failed", async () => {
    const cluster = await startRecordedServer(recordings("kubernetes.json"), ({ path: p }) => {
        const match = /^\/apis\/apps\/v1\/namespaces\/([^/]+)\/(deployments|statefulsets)\/([^/?]+)/.exec(p);
        return match ? `${match[2]}/${match[1]}/${match[3]}` : p;
    });
    try {
        const kubeconfig = file("kubeconfig", {
            apiVersion: "v1",
            kind: "Config",
            clusters: [{ name: "local", cluster: { server: cluster.origin, "insecure-skip-tls-verify": true } }],
            users: [{ name: "verifier", user: { token: "verifier-token" } }],
            contexts: [{ name: "local", context: { cluster: "local", user: "verifier" } }],
            "current-context": "local",
        });
        const verification = file("verification.json", {
            rollouts: [
                { kind: "kubernetes-deployment", namespace: "partner", name: "web-rolling" },
                { kind: "kubernetes-statefulset", namespace: "partner", name: "ledger-stable" },
                { kind: "kubernetes-deployment", namespace: "partner", name: "web-stuck" },
            ],
            healthChecks: [],
        });
        const { code, stdout, stderr } = await runProgram(["--file", verification, "--poll", "0.05", "--timeout", "20"], {
            ...process.env,
            KUBECONFIG: kubeconfig,
        });
        expect({ code, stderr }).toEqual({ code: 1, stderr: "2 of 3 checks ok\n" });
        expect(stdout.split("\n").filter(Boolean)).toEqual([
            "ok    kubernetes-deployment partner/web-rolling  succeeded  3 updated, 3 available, 3 total of 3 desired",
            "ok    kubernetes-statefulset partner/ledger-stable  succeeded  3 updated, 3 ready of 3 desired, revision ledger-stable-5c2a1f",
            'FAIL  kubernetes-deployment partner/web-stuck  failed  progress deadline exceeded: ReplicaSet "web-stuck-5b7c9d8e6f" has timed out progressing.',
        ]);
        expect(cluster.requests.filter((r) => r.key === "deployments/partner/web-rolling")).toHaveLength(4);
        expect(cluster.requests[0].headers.authorization).toBe("Bearer verifier-token");
    } finally {
        await cluster.close();
    }
});

test("run as a program with no kubeconfig and outside a cluster, a workload is unreachable and the run exits 1", async () => {
    const verification = file("verification.json", { rollouts: [{ kind: "kubernetes-deployment", namespace: "partner", name: "web" }], healthChecks: [] });
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: dir };
    delete env.KUBECONFIG;
    const { code, stdout } = await runProgram(["--file", verification], env);
    expect(code).toBe(1);
    expect(stdout).toBe(
        "FAIL  kubernetes-deployment partner/web  unreachable  no cluster to read: KUBECONFIG is unset, ~/.kube/config does not exist, and this is not a pod with a service account\n",
    );
});
