/**
 * The one catalog of stateful resource types: types whose resources hold data
 * the program cannot recreate (databases, volumes, file systems, buckets,
 * queues, key material, clusters, backups). Deleting or replacing one loses that
 * data. The one-way-door policy, the plan's diff and the docs all read it.
 *
 * Families are rules over the generated list of every type of the four SDKs
 * (module and resource name), so a new database or file system type of a
 * module we know is stateful without a new line here. Parameters and secrets
 * are not stateful: the program sets their values and sets them again.
 */
import { isKnownType, providerOf, providers, typesOf, type Provider } from "./catalog";

export interface StatefulFamily {
    provider: Provider;
    name: string;
    /** Why a resource of the family cannot be recreated, in one line. */
    reason: string;
    /** The type token's module (`rds` in `aws:rds/cluster:Cluster`). */
    modules: RegExp;
    /** The type token's resource name (`Cluster`). */
    names: RegExp;
}

const family = (provider: Provider, name: string, reason: string, modules: RegExp, names: RegExp): StatefulFamily => ({
    provider,
    name,
    reason,
    modules,
    names,
});

export const statefulFamilies: StatefulFamily[] = [
    family(
        "aws",
        "databases",
        "holds the rows, items or documents written to it",
        /^(rds|docdb|neptune|redshift|redshiftserverless|elasticache|memorydb|dsql|qldb|timestreamwrite|keyspaces|dynamodb|opensearch)$/,
        /(Cluster|Instance|Table|Database|Keyspace|Ledger|Domain|Collection|Namespace|ReplicationGroup|ServerlessCache)$/,
    ),
    family(
        "aws",
        "snapshots and backup vaults",
        "holds the backups themselves",
        /^(ebs|rds|docdb|neptune|redshift|redshiftserverless|memorydb|fsx|backup|glacier)$/,
        /(Snapshot|SnapshotCopy|Backup|Vault)$/,
    ),
    family("aws", "volumes and file systems", "holds the files written to it", /^(ebs|efs|fsx|s3)$/, /(Volume|VolumeCopy|FileSystem|FileCache)$/),
    family(
        "aws",
        "buckets",
        "holds the objects written to it",
        /^(s3|s3control|s3tables)$/,
        /^(Bucket|BucketV2|DirectoryBucket|VectorsVectorBucket|TableBucket)$/,
    ),
    family(
        "aws",
        "queues and streams",
        "holds messages not yet consumed",
        /^(sqs|kinesis|msk|mq)$/,
        /^(Queue|Stream|VideoStream|Cluster|ServerlessCluster|Broker)$/,
    ),
    family(
        "aws",
        "key material",
        "holds keys that data elsewhere is encrypted or signed with",
        /^(kms|acmpca|cloudhsmv2)$/,
        /^(Key|ExternalKey|ReplicaKey|ReplicaExternalKey|CertificateAuthority|Cluster)$/,
    ),
    family("aws", "container clusters", "holds the cluster's state and every workload deployed to it", /^(eks|ecs)$/, /^Cluster$/),

    family(
        "gcp",
        "databases",
        "holds the rows, documents or datasets written to it",
        /^(sql|spanner|bigtable|firestore|alloydb|redis|bigquery)$/,
        /(DatabaseInstance|Database|Instance|Cluster|Table|Dataset)$/,
    ),
    family("gcp", "disks and snapshots", "holds the blocks written to it", /^compute$/, /^(Disk|RegionDisk|Snapshot)$/),
    family(
        "gcp",
        "file systems",
        "holds the files written to it",
        /^(filestore|netapp|parallelstore)$/,
        /^(Instance|Backup|Snapshot|Volume|VolumeSnapshot|StoragePool)$/,
    ),
    family("gcp", "buckets", "holds the objects written to it", /^storage$/, /^Bucket$/),
    family("gcp", "queues", "holds messages and tasks not yet consumed", /^(pubsub|cloudtasks)$/, /^(Subscription|LiteSubscription|Queue)$/),
    family(
        "gcp",
        "key material",
        "holds keys that data elsewhere is encrypted or signed with",
        /^(kms|privateca)$/,
        /^(KeyRing|CryptoKey|CertificateAuthority)$/,
    ),
    family("gcp", "container clusters", "holds the cluster's state and every workload deployed to it", /^container$/, /^Cluster$/),
    family("gcp", "backup vaults", "holds the backups themselves", /^(backupdisasterrecovery|netapp|alloydb)$/, /^(BackupVault|Backup)$/),

    family(
        "alicloud",
        "databases",
        "holds the rows, documents or keys written to it",
        /^(rds|polardb|mongodb|kvstore|redis|adb|gpdb|hbase|clickhouse|ots|selectdb|drds|lindorm|graphdatabase|cassandra|tsdb|elasticsearch)$/,
        /(Instance|Cluster|Table|Database|DbCluster|DbInstance)$/,
    ),
    family(
        "alicloud",
        "disks and snapshots",
        "holds the blocks written to it",
        /^(ecs|ebs|ens|nas|databasefilesystem)$/,
        /^(Disk|EcsDisk|Snapshot|EcsSnapshot)$/,
    ),
    family("alicloud", "file systems", "holds the files written to it", /^(nas|dfs|databasefilesystem|eds)$/, /^(FileSystem|Instance|NasFileSystem)$/),
    family("alicloud", "buckets", "holds the objects written to it", /^oss$/, /^Bucket$/),
    family(
        "alicloud",
        "queues and topics",
        "holds messages not yet consumed",
        /^(mns|message|amqp|alikafka|rocketmq)$/,
        /^(Queue|ServiceQueue|Instance|RocketMQInstance)$/,
    ),
    family("alicloud", "key material", "holds keys that data elsewhere is encrypted with", /^kms$/, /^(Key|Instance)$/),
    family(
        "alicloud",
        "container clusters",
        "holds the cluster's state and every workload deployed to it",
        /^cs$/,
        /^(ManagedKubernetes|Kubernetes|ServerlessKubernetes|EdgeKubernetes)$/,
    ),
    family("alicloud", "backup vaults", "holds the backups themselves", /^hbr$/, /^(Vault|ReplicationVault)$/),

    family("kubernetes", "persistent volumes", "holds the files a workload wrote to it", /^core$/, /^(PersistentVolume|PersistentVolumeClaim)$/),
];

/** Types a family's rule matches that hold no data of their own, each with the reason. */
export const notStateful: Record<string, string> = {
    "aws:rds/reservedInstance:ReservedInstance": "a billing reservation",
    "aws:rds/clusterInstance:ClusterInstance": "a compute member of a cluster; the cluster holds the data",
    "aws:docdb/clusterInstance:ClusterInstance": "a compute member of a cluster; the cluster holds the data",
    "aws:neptune/clusterInstance:ClusterInstance": "a compute member of a cluster; the cluster holds the data",
    "gcp:alloydb/instance:Instance": "a compute member of a cluster; the cluster holds the data",
    "gcp:sql/sourceRepresentationInstance:SourceRepresentationInstance": "a pointer to a database outside Google Cloud",
    "alicloud:rds/rdsUpgradeDbInstance:RdsUpgradeDbInstance": "an upgrade operation on an existing instance",
    "alicloud:rds/readOnlyInstance:ReadOnlyInstance": "a read replica; the primary holds the data",
};

/** The family a type belongs to, or undefined when it is not stateful. */
export function statefulFamilyOf(type: string): StatefulFamily | undefined {
    const provider = providerOf(type);
    if (!provider || type in notStateful || !isKnownType(type)) return undefined;
    const [, path, name] = type.split(":");
    const module = path.split("/")[0];
    return statefulFamilies.find((f) => f.provider === provider && f.modules.test(module) && f.names.test(name));
}

let allStateful: ReadonlySet<string> | undefined;

/** Every stateful type of the four SDKs, derived from the generated catalog at the first call. */
export function statefulTypes(): ReadonlySet<string> {
    allStateful ??= new Set(providers.flatMap((p) => typesOf(p).filter((t) => statefulFamilyOf(t) !== undefined)));
    return allStateful;
}

/** True when deleting or replacing a resource of this type loses data the program cannot recreate. */
export function isStateful(type: string): boolean {
    return statefulFamilyOf(type) !== undefined;
}
