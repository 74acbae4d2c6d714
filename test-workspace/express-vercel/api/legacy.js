// v1 document links, still used by the 2.x mobile app. New clients use /api/projects.
const AWS = require('aws-sdk');
const { Client } = require('pg');

const s3 = new AWS.S3({ region: process.env.AWS_REGION, signatureVersion: 'v4' });

module.exports = async (req, res) => {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  let rows;
  try {
    ({ rows } = await client.query('select s3_key, file_name from documents where id = $1', [req.query.id]));
  } finally {
    await client.end();
  }

  if (!rows.length) {
    return res.status(404).json({ error: 'Document not found' });
  }
  const url = s3.getSignedUrl('getObject', {
    Bucket: process.env.DOCUMENTS_BUCKET,
    Key: rows[0].s3_key,
    Expires: 300,
    ResponseContentDisposition: `attachment; filename="${rows[0].file_name}"`,
  });
  res.json({ url });
};
