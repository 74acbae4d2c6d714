import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';

const s3 = new S3Client({});
const THUMB_SIZE = 320;

export const handler = async (event: S3Event): Promise<void> => {
  for (const record of event.Records) {
    const bucket = record.s3.bucket.name;
    const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
    if (key.startsWith('thumbnails/')) continue;

    const original = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const source = join(tmpdir(), `src-${record.s3.object.eTag}`);
    await writeFile(source, await original.Body!.transformToByteArray());
    try {
      const thumbnail = await sharp(source)
        .resize(THUMB_SIZE, THUMB_SIZE, { fit: 'cover' })
        .webp({ quality: 80 })
        .toBuffer();
      await s3.send(new PutObjectCommand({
        Bucket: bucket,
        Key: `thumbnails/${key.replace(/\.[^.]+$/, '')}.webp`,
        Body: thumbnail,
        ContentType: 'image/webp',
      }));
    } finally {
      await rm(source, { force: true });
    }
  }
};
