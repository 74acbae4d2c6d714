import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // bcrypt ships a native addon; keep it out of the server bundle.
  serverExternalPackages: ['bcrypt'],
  images: {
    remotePatterns: [
      { protocol: 'https', hostname: 'avatars.githubusercontent.com' },
      { protocol: 'https', hostname: '*.public.blob.vercel-storage.com' },
    ],
  },
  async redirects() {
    return [{ source: '/', destination: '/dashboard', permanent: false }];
  },
};

export default nextConfig;
