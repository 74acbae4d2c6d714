interface OgCardProps {
  title: string;
  subtitle?: string;
  author?: string;
}

// Rendered by app/api/og with next/og: flexbox only, inline styles only.
export function OgCard({ title, subtitle, author }: OgCardProps) {
  return (
    <div
      style={{
        display: 'flex',
        flexDirection: 'column',
        width: '100%',
        height: '100%',
        padding: 72,
        background: 'linear-gradient(135deg, #0b0b0f 0%, #1e1b4b 100%)',
        color: '#fafafa',
        fontFamily: 'Inter',
      }}
    >
      <div style={{ fontSize: 28, color: '#a5b4fc' }}>acme.dev/blog</div>
      <div style={{ fontSize: 68, fontWeight: 600, marginTop: 32, lineHeight: 1.1 }}>{title}</div>
      {subtitle ? <div style={{ fontSize: 34, marginTop: 24, color: '#d4d4d8' }}>{subtitle}</div> : null}
      {author ? <div style={{ fontSize: 28, marginTop: 'auto' }}>{author}</div> : null}
    </div>
  );
}
