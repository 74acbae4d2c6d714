import { writeFile } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { gzipSync } from 'node:zlib';
import _ from 'lodash';
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { ScheduledEvent } from 'aws-lambda';

const athena = new AthenaClient({});
const s3 = new S3Client({});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const handler = async (event: ScheduledEvent) => {
  const day = event.time.slice(0, 10);
  const { QueryExecutionId } = await athena.send(new StartQueryExecutionCommand({
    QueryString: `select id, customer_id, country, subtotal, tax from orders where dt = date '${day}'`,
    WorkGroup: process.env.ATHENA_WORKGROUP,
  }));

  for (;;) {
    const { QueryExecution } = await athena.send(new GetQueryExecutionCommand({ QueryExecutionId }));
    const state = QueryExecution?.Status?.State;
    if (state === 'SUCCEEDED') break;
    if (state === 'FAILED' || state === 'CANCELLED') throw new Error(`Athena query ${QueryExecutionId} ${state}`);
    await sleep(3_000);
  }

  const { ResultSet } = await athena.send(new GetQueryResultsCommand({ QueryExecutionId }));
  const rows = (ResultSet?.Rows ?? []).map((row) => (row.Data ?? []).map((cell) => cell.VarCharValue ?? ''));
  const byCountry = _.groupBy(rows.slice(1), (row) => row[2]);
  const csv = rows.map((row) => row.join(',')).join('\n');

  const gzipped = gzipSync(csv);
  await writeFile(`/tmp/orders-${day}.csv.gz`, gzipped);
  await s3.send(new PutObjectCommand({
    Bucket: process.env.EXPORT_BUCKET,
    Key: `orders/${day}.csv.gz`,
    Body: createReadStream(`/tmp/orders-${day}.csv.gz`),
    ContentEncoding: 'gzip',
  }));
  return { day, rows: rows.length - 1, countries: Object.keys(byCountry).length, bytes: gzipped.length };
};
