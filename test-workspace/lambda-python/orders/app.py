"""GET /orders/{id}: reads an order from DynamoDB and records the lookup."""
import json
import os
import sys
import threading

import boto3

# Module-level resource: created once per execution environment and reused, not reported.
table = boto3.resource("dynamodb").Table(os.environ.get("ORDERS_TABLE", "orders"))
lookups = 0


def publish_metric(order_id):
    print(json.dumps({"metric": "order_lookup", "order_id": order_id}))


def lambda_handler(event, context):
    global lookups
    lookups += 1
    order_id = event["pathParameters"]["id"]
    events = boto3.client("events")
    item = table.get_item(Key={"id": order_id}).get("Item")
    if item is None and os.environ.get("STRICT") == "1":
        sys.exit(1)
    threading.Thread(target=publish_metric, args=(order_id,)).start()
    events.put_events(Entries=[{"Source": "orders", "DetailType": "lookup", "Detail": json.dumps({"id": order_id})}])
    return {"statusCode": 200 if item else 404, "body": json.dumps(item or {})}
