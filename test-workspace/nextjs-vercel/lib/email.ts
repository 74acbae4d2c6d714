interface Recipient {
  email: string;
  name: string;
}

const FROM = 'Acme <hello@mail.acme.dev>';

export async function sendWelcomeEmail(user: Recipient): Promise<void> {
  const res = await fetch('https://api.resend.com/emails', {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${process.env.RESEND_API_KEY}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({
      from: FROM,
      to: user.email,
      subject: `Welcome to Acme, ${user.name}`,
      html: `<p>Hi ${user.name},</p><p>Your team invited you to Acme. <a href="https://app.acme.dev/login">Sign in</a> to get started.</p>`,
    }),
  });
  if (!res.ok) {
    throw new Error(`Resend responded with ${res.status}: ${await res.text()}`);
  }
}
