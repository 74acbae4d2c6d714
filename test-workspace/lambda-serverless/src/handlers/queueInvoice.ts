import AWS from 'aws-sdk';
import type { APIGatewayProxyEvent, Callback, Context } from 'aws-lambda';

const sqs = new AWS.SQS({ apiVersion: '2012-11-05' });

// Invoices are rendered by the billing worker; this endpoint only queues them.
export const handler = (event: APIGatewayProxyEvent, context: Context, callback: Callback) => {
  const invoiceId = event.pathParameters?.invoiceId;
  if (!invoiceId) {
    return callback(null, { statusCode: 400, body: JSON.stringify({ message: 'invoiceId is required' }) });
  }

  callback(null, { statusCode: 202, body: JSON.stringify({ invoiceId, status: 'queued' }) });

  sqs.sendMessage(
    {
      QueueUrl: process.env.INVOICE_QUEUE_URL!,
      MessageBody: JSON.stringify({ invoiceId, requestId: context.awsRequestId, requestedAt: Date.now() }),
    },
    (err) => {
      if (err) console.error('failed to enqueue invoice', invoiceId, err);
    },
  );
};
