// Does the repository run a database or keep persistent data? Backups only apply when it does.
import type { FactStore } from "../engine/facts.js";
import { isRecord } from "../engine/yaml.js";
import type { DataStore } from "../facts/derived.js";
import type { K8sObjectFact } from "../facts/infra.js";
import { isExampleOrTestPath } from "./kubernetes.js";

/** Images of databases and stateful stores (the repository part of the image name, without registry and tag). */
const DATABASE_IMAGE = new RegExp(
  String.raw`(^|\/)(postgres|postgis|postgresql|timescaledb|mysql|mariadb|percona|mongo|mongodb|` +
    String.raw`mongodb-community-server|elasticsearch|opensearch|cassandra|scylla|couchdb|couchbase|` +
    String.raw`neo4j|clickhouse|clickhouse-server|influxdb|cockroach|cockroachdb|mssql-server|` +
    String.raw`oracle\/database|questdb|surrealdb|arangodb|rethinkdb|ferretdb|valkey|keydb)(:|@|$)`,
  "i",
);
/** Charts of metrics, logs and traces stores (kube-prometheus-stack, alertmanager, loki, victoria-metrics …). */
const TELEMETRY_CHART = /prometheus|alertmanager|grafana|loki|thanos|victoria|mimir|tempo|jaeger|pushgateway/i;
const REDIS_IMAGE = /(^|\/)redis(-stack(-server)?)?(:|@|$)/i;

/** Kubernetes kinds of database operators and persistent storage. */
const DATABASE_KINDS: [RegExp, RegExp][] = [
  [/^postgresql\.cnpg\.io\//, /^Cluster$/],
  [/^acid\.zalan\.do\//, /^postgresql$/],
  [/^postgres-operator\.crunchydata\.com\//, /^PostgresCluster$/],
  [/^pxc\.percona\.com\/|^psmdb\.percona\.com\/|^pgv2\.percona\.com\/|^ps\.percona\.com\//, /^Percona/],
  [/^k8s\.mariadb\.com\/|^mariadb\.mmontes\.io\//, /^MariaDB$/],
  [/^mongodbcommunity\.mongodb\.com\/|^mongodb\.com\//, /^MongoDB/],
  [/^mysql\.oracle\.com\//, /^InnoDBCluster$/],
  [/^elasticsearch\.k8s\.elastic\.co\//, /^Elasticsearch$/],
  [/^redis\.redis\.opstreelabs\.in\//, /^Redis(Cluster|Replication)?$/],
];

const DATABASE_TERRAFORM = new RegExp(
  String.raw`^(aws_(db_instance|rds_cluster|dynamodb_table|docdb_cluster|neptune_cluster|` +
    String.raw`redshift_cluster|elasticache_replication_group|memorydb_cluster|opensearch_domain|` +
    String.raw`elasticsearch_domain|efs_file_system|timestreamwrite_database|keyspaces_keyspace|` +
    String.raw`qldb_ledger)|google_(sql_database_instance|spanner_instance|bigtable_instance|` +
    String.raw`firestore_database|alloydb_cluster|redis_instance|filestore_instance)|` +
    String.raw`azurerm_(\w*sql\w*_(server|database|flexible_server)|cosmosdb_account|redis_cache)|` +
    String.raw`mongodbatlas_(cluster|advanced_cluster)|digitalocean_database_cluster|` +
    String.raw`scaleway_rdb_instance|ovh_cloud_project_database|heroku_addon|neon_project|` +
    String.raw`supabase_project|planetscale_database)$`,
);
const DATABASE_CLOUDFORMATION = new RegExp(
  String.raw`^AWS::(RDS::DB(Instance|Cluster)|DynamoDB::(Global)?Table|DocDB::DBCluster|` +
    String.raw`Neptune::DBCluster|Redshift::Cluster|ElastiCache::ReplicationGroup|EFS::FileSystem|` +
    String.raw`OpenSearchService::Domain)$`,
);

/** Direct dependencies that talk to a database (drivers and ORMs), per ecosystem. */
const DRIVERS = new Set([
  // npm
  "pg",
  "postgres",
  "pg-promise",
  "mysql",
  "mysql2",
  "mariadb",
  "mongodb",
  "mongoose",
  "sqlite3",
  "better-sqlite3",
  "typeorm",
  "sequelize",
  "prisma",
  "@prisma/client",
  "knex",
  "drizzle-orm",
  "@mikro-orm/core",
  "objection",
  "kysely",
  "@neondatabase/serverless",
  "@planetscale/database",
  "oracledb",
  "mssql",
  "tedious",
  "cassandra-driver",
  "@elastic/elasticsearch",
  "neo4j-driver",
  // python
  "psycopg2",
  "psycopg2-binary",
  "psycopg",
  "asyncpg",
  "sqlalchemy",
  "django",
  "pymongo",
  "motor",
  "mysqlclient",
  "pymysql",
  "peewee",
  "tortoise-orm",
  "sqlmodel",
  "aiomysql",
  "cx-oracle",
  "oracledb",
  "pyodbc",
  "mongoengine",
  "alembic",
  // go
  "gorm.io/gorm",
  "github.com/lib/pq",
  "github.com/jackc/pgx",
  "github.com/jackc/pgx/v4",
  "github.com/jackc/pgx/v5",
  "github.com/go-sql-driver/mysql",
  "go.mongodb.org/mongo-driver",
  "go.mongodb.org/mongo-driver/v2",
  "github.com/mattn/go-sqlite3",
  "modernc.org/sqlite",
  "entgo.io/ent",
  "github.com/jmoiron/sqlx",
  "github.com/uptrace/bun",
  // ruby
  "mysql2",
  "activerecord",
  "mongoid",
  "sequel",
  "rails",
  // java / kotlin
  "org.postgresql:postgresql",
  "mysql:mysql-connector-java",
  "com.mysql:mysql-connector-j",
  "org.mariadb.jdbc:mariadb-java-client",
  "org.mongodb:mongodb-driver-sync",
  "org.springframework.boot:spring-boot-starter-data-jpa",
  "org.springframework.boot:spring-boot-starter-jdbc",
  "org.springframework.boot:spring-boot-starter-data-mongodb",
  "org.hibernate.orm:hibernate-core",
  "org.hibernate:hibernate-core",
  "org.flywaydb:flyway-core",
  "org.liquibase:liquibase-core",
  "org.jetbrains.exposed:exposed-core",
  // rust
  "sqlx",
  "diesel",
  "tokio-postgres",
  "rusqlite",
  "sea-orm",
  // php
  "doctrine/orm",
  "doctrine/dbal",
  "illuminate/database",
  "laravel/framework",
  // .NET
  "npgsql",
  "npgsql.entityframeworkcore.postgresql",
  "microsoft.entityframeworkcore",
  "microsoft.entityframeworkcore.sqlserver",
  "mysqlconnector",
  "pomelo.entityframeworkcore.mysql",
  "mongodb.driver",
  "microsoft.data.sqlclient",
  "dapper",
]);

/** Folders that hold schema migrations (Rails, Alembic, Flyway, Prisma, Knex, golang-migrate, Django, dbmate, diesel …). */
/** A cheap first test for MIGRATION_PATH, which runs over every path of the tree. */
const MIGRATION_HINT = /migrat|alembic|changelog/i;
export const MIGRATION_PATH = new RegExp(
  String.raw`(^|\/)(db\/migrate|migrations?|alembic\/versions|db\/migration|prisma\/migrations|` +
    String.raw`db\/changelog)\/[^/]+\.(sql|rb|py|js|ts|go|xml|ya?ml)$|(^|\/)migrations\/[^/]+\/(up|` +
    String.raw`down|migration)\.sql$`,
  "i",
);
/**
 * Code in a migrations folder is a migration when its name is one (`0001_initial.py`, `20240101_create.rb`,
 * `V1__init.sql`, `1700000000000-Users.ts`); SQL and changelog files count by their folder. A handler that only has
 * "migrations" in its folder name (a Lambda `migrations/lambda_handler.py`) is not.
 */
const MIGRATION_NAME = /^(\d|[VUR]\d|R__)|\.(sql|xml|ya?ml)$/i;

export function dataStores(
  facts: FactStore,
  paths: readonly string[],
  kubernetes: readonly K8sObjectFact[],
): DataStore[] {
  const found: DataStore[] = [];
  for (const compose of facts.all("compose")) {
    for (const s of compose.services) {
      if (!s.image) continue;
      const image = s.image.replace(/^[\w.-]+(:\d+)?\/(?=.*\/)/, ""); // drop a registry host
      if (DATABASE_IMAGE.test(image))
        found.push({ path: compose.path, line: s.line, note: `service ${s.name} runs ${s.image}` });
      else if (REDIS_IMAGE.test(image) && s.volumes.length > 0)
        found.push({ path: compose.path, line: s.line, note: `service ${s.name} keeps Redis data on a volume` });
    }
  }
  for (const o of kubernetes) {
    // a monitoring chart's volume keeps metrics or logs, rebuilt from scrapes and Git: not data to back up
    const telemetryVolume = o.chart !== undefined && TELEMETRY_CHART.test(o.chart.slice(o.chart.lastIndexOf("/") + 1));
    if (telemetryVolume && (o.kind === "PersistentVolumeClaim" || o.kind === "StatefulSet")) continue;
    if (o.kind === "PersistentVolumeClaim" && o.apiVersion === "v1")
      found.push({ path: o.path, line: o.line, note: `PersistentVolumeClaim ${o.name ?? ""}`.trim() });
    else if (o.kind === "StatefulSet" && hasVolumeClaims(o.doc))
      found.push({ path: o.path, line: o.line, note: `StatefulSet ${o.name ?? ""} with volume claims`.trim() });
    else if (DATABASE_KINDS.some(([api, kind]) => api.test(o.apiVersion) && kind.test(o.kind)))
      found.push({ path: o.path, line: o.line, note: `${o.kind} ${o.name ?? ""} (database operator)`.trim() });
    else {
      const db = o.containers?.find(
        (c) => !c.init && c.image && DATABASE_IMAGE.test(c.image.replace(/^[\w.-]+(:\d+)?\/(?=.*\/)/, "")),
      );
      if (db) found.push({ path: o.path, line: db.line, note: `${o.kind} ${o.name ?? ""} runs ${db.image}` });
    }
  }
  found.push(...databaseCharts(facts, kubernetes));
  // a database image built from the repository's own Dockerfile (`FROM postgres:16-alpine` plus init scripts)
  for (const d of facts.all("dockerfile")) {
    const final = d.stages[d.stages.length - 1];
    if (!final || d.devcontainer || isExampleOrTestPath(d.path)) continue;
    const base = final.fromStage ? d.stages.find((s) => s.name === final.image.toLowerCase()) : final;
    const image = base?.image.replace(/^[\w.-]+(:\d+)?\/(?=.*\/)/, "");
    if (image && DATABASE_IMAGE.test(image))
      found.push({ path: d.path, line: final.line, note: `builds a database image FROM ${base!.image}` });
  }
  for (const tf of facts.all("terraform")) {
    for (const r of tf.resources)
      if (
        DATABASE_TERRAFORM.test(r.type) &&
        !(r.type === "heroku_addon" && !/postgres|redis|mysql|mongo/i.test(String(r.attrs.plan ?? "")))
      ) {
        found.push({ path: tf.path, line: r.line, note: `${r.type}.${r.name}` });
      }
  }
  for (const iac of facts.all("iac")) {
    for (const r of iac.resources)
      if (DATABASE_CLOUDFORMATION.test(r.type))
        found.push({ path: iac.path, line: r.line, note: `${r.type} ${r.name}` });
  }
  for (const m of facts.all("manifest")) {
    const deps = m.declared ?? m.dependencies.map((name) => ({ name, line: 1, dev: false }));
    for (const d of deps) {
      if (d.dev) continue;
      const name = d.name.toLowerCase().replace(/_/g, "-");
      if (DRIVERS.has(name) || DRIVERS.has(name.replace(/\[.*$/, "")))
        found.push({ path: m.path, line: d.line, note: `depends on ${d.name}` });
    }
  }
  const migration = paths.find(
    (p) =>
      MIGRATION_HINT.test(p) &&
      MIGRATION_PATH.test(p) &&
      (MIGRATION_NAME.test(p.slice(p.lastIndexOf("/") + 1)) || /(^|\/)db\/migrate\//.test(p)),
  );
  if (migration) found.push({ path: migration, line: 1, note: "schema migrations" });
  return found;
}

function hasVolumeClaims(doc: Record<string, unknown>): boolean {
  const spec = doc.spec;
  return isRecord(spec) && Array.isArray(spec.volumeClaimTemplates) && spec.volumeClaimTemplates.length > 0;
}

/** Charts that install a database: CloudNativePG's cluster chart, and database charts (Bitnami's and others). */
const DATABASE_CHART = new RegExp(
  String.raw`^(postgresql|postgresql-ha|postgres|mysql|mariadb|mariadb-galera|mongodb|` +
    String.raw`mongodb-sharded|cassandra|couchdb|clickhouse|influxdb2?|neo4j|elasticsearch|opensearch|` +
    String.raw`timescaledb-single|cockroachdb)$`,
);

function databaseChart(name: string, repository = ""): boolean {
  return DATABASE_CHART.test(name) || (name === "cluster" && /cloudnative-pg/.test(repository));
}

/**
 * Databases a chart installs: an umbrella chart's dependencies (unless their `condition` or `<key>.enabled` is
 * false in the chart's values), Flux HelmReleases and Argo CD Applications of database charts.
 */
function databaseCharts(facts: FactStore, kubernetes: readonly K8sObjectFact[]): DataStore[] {
  const found: DataStore[] = [];
  const values = new Map<string, Record<string, unknown>>();
  for (const v of facts.all("helmValues")) {
    const name = v.path.slice(v.path.lastIndexOf("/") + 1);
    if ((name === "values.yaml" || name === "values.yml") && v.values) values.set(v.dir, v.values);
  }
  for (const chart of facts.all("helm")) {
    for (const dep of chart.dependencies) {
      if (!databaseChart(dep.name, dep.repository)) continue;
      const own = values.get(chart.dir) ?? {};
      const sub = own[dep.alias ?? dep.name];
      const condition = dep.condition?.split(",")[0]?.trim();
      const switch_ = condition ? valueAt(own, condition.split(".")) : isRecord(sub) ? sub.enabled : undefined;
      if (switch_ === false) continue;
      found.push({ path: chart.path, line: dep.line, note: `chart dependency ${dep.alias ?? dep.name} (${dep.name})` });
    }
  }
  for (const o of kubernetes) {
    const spec = isRecord(o.doc.spec) ? o.doc.spec : {};
    if (o.apiVersion.startsWith("helm.toolkit.fluxcd.io/") && o.kind === "HelmRelease") {
      const chartSpec = isRecord(spec.chart) && isRecord(spec.chart.spec) ? spec.chart.spec : {};
      const source = isRecord(chartSpec.sourceRef) ? String(chartSpec.sourceRef.name ?? "") : "";
      const name = typeof chartSpec.chart === "string" ? chartSpec.chart : "";
      if (databaseChart(name, source))
        found.push({ path: o.path, line: o.line, note: `HelmRelease ${o.name ?? ""} installs the ${name} chart` });
    } else if (o.apiVersion.startsWith("argoproj.io/") && o.kind === "Application") {
      const sources = [spec.source, ...(Array.isArray(spec.sources) ? spec.sources : [])].filter(isRecord);
      for (const source of sources) {
        const name = typeof source.chart === "string" ? source.chart : "";
        if (databaseChart(name, String(source.repoURL ?? "")))
          found.push({ path: o.path, line: o.line, note: `Application ${o.name ?? ""} installs the ${name} chart` });
      }
    }
  }
  return found;
}

function valueAt(values: Record<string, unknown>, path: string[]): unknown {
  let node: unknown = values;
  for (const key of path) node = isRecord(node) ? node[key] : undefined;
  return node;
}
