import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';

interface OrderInput {
  customerId: string;
  country: string;
  items: { sku: string; price: number; quantity: number }[];
}

const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const events = new EventBridgeClient({});
const taxRates: Record<string, number> = JSON.parse(readFileSync('./data/tax-rates.json', 'utf8'));

let flags: { ordersPaused?: boolean } = {};
async function refreshFlags(): Promise<void> {
  const res = await fetch(`${process.env.CONFIG_URL}/flags.json`);
  if (res.ok) flags = await res.json();
}
setInterval(refreshFlags, 60_000);

async function publishOrderCreated(order: Record<string, unknown>): Promise<void> {
  await events.send(new PutEventsCommand({
    Entries: [{ EventBusName: process.env.EVENT_BUS, Source: 'orders', DetailType: 'OrderCreated', Detail: JSON.stringify(order) }],
  }));
}

export const handler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> => {
  if (flags.ordersPaused) {
    return { statusCode: 503, body: JSON.stringify({ message: 'Ordering is paused for maintenance' }) };
  }
  const input = JSON.parse(event.body ?? '{}') as OrderInput;
  const subtotal = input.items.reduce((sum, item) => sum + item.price * item.quantity, 0);
  const order = {
    id: randomUUID(),
    customerId: input.customerId,
    items: input.items,
    subtotal,
    tax: Math.round(subtotal * (taxRates[input.country] ?? 0) * 100) / 100,
    createdAt: new Date().toISOString(),
  };

  await ddb.send(new PutCommand({ TableName: process.env.ORDERS_TABLE, Item: order }));
  publishOrderCreated(order).catch((err) => console.error('failed to publish OrderCreated', err));

  return { statusCode: 201, body: JSON.stringify(order) };
};
