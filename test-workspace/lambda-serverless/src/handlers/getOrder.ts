import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';

export const handler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> => {
  const tableName = process.env.ORDERS_TABLE;
  if (!tableName) {
    console.error('ORDERS_TABLE is not configured');
    process.exit(1);
  }

  const orderId = event.pathParameters?.id;
  if (!orderId) {
    return { statusCode: 400, body: JSON.stringify({ message: 'Order id is required' }) };
  }

  const client = new DynamoDBClient({ region: process.env.AWS_REGION });
  const { Item } = await client.send(new GetItemCommand({ TableName: tableName, Key: { id: { S: orderId } } }));
  if (!Item) {
    return { statusCode: 404, body: JSON.stringify({ message: `Order ${orderId} not found` }) };
  }

  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(unmarshall(Item)),
  };
};
