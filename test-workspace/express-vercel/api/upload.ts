import type { VercelRequest, VercelResponse } from '@vercel/node';
import formidable from 'formidable';
import { randomUUID } from 'node:crypto';
import { mkdir, rename } from 'node:fs/promises';

const MAX_FILE_SIZE = 200 * 1024 * 1024;

export default async function handler(req: VercelRequest, res: VercelResponse) {
  if (req.method !== 'POST') {
    return res.status(405).json({ error: 'Method not allowed' });
  }

  const form = formidable({ maxFileSize: MAX_FILE_SIZE, keepExtensions: true });
  const [fields, files] = await form.parse(req);
  const file = files.file?.[0];
  if (!file) {
    return res.status(400).json({ error: 'Attach the file as the "file" field.' });
  }

  const id = randomUUID();
  await mkdir('./uploads', { recursive: true });
  await rename(file.filepath, `./uploads/${id}-${file.originalFilename ?? 'upload'}`);

  res.status(201).json({
    id,
    name: file.originalFilename,
    size: file.size,
    projectId: fields.projectId?.[0] ?? null,
  });
}
