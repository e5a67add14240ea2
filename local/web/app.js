// The page's script, bundled for the browser by local/web/server.ts (esbuild): Amplify JS v6
// pointed at the local Cognito endpoint. Plain JavaScript, so the project's Node type-check does not need DOM types.
import { Amplify } from 'aws-amplify';
import { confirmSignIn, confirmSignUp, fetchAuthSession, signIn, signOut, signUp } from 'aws-amplify/auth';

const config = await (await fetch('/config.json')).json();
Amplify.configure({ Auth: { Cognito: { userPoolId: config.userPoolId, userPoolClientId: config.clientId, userPoolEndpoint: config.endpoint } } });

const $ = (id) => document.getElementById(id);
$('mail-viewer').href = config.mailViewer;
$('pool').textContent = `pool ${config.userPoolId} at ${config.endpoint}`;

/** What each error a user can meet means, in words for that user (README, "Clients"). */
const EXPLAIN = {
  NotAuthorizedException: 'The sign-in did not work. Check what you typed and start again.',
  UserLambdaValidationException: 'Sign-in could not be completed right now. Please try again later.',
  UserNotConfirmedException: 'Confirm your sign-up with the code we sent first.',
  UsernameExistsException: 'There is already an account for this address: sign in instead.',
  InvalidPasswordException: 'Choose a longer password with upper and lower case letters, a digit and a symbol.',
  CodeMismatchException: 'That code is not right. Check the latest message.',
  ExpiredCodeException: 'That code has expired. Ask for a new one.',
  InvalidParameterException: 'Use an email address or a phone number in international format (+1…).',
};

function status(text, kind = 'ok') {
  $('status').textContent = text;
  $('status').className = kind;
}
function fail(error) {
  status(`${EXPLAIN[error.name] ?? 'Something went wrong.'} (${error.name}: ${error.message})`, 'error');
}
function show(section) {
  for (const id of ['sign-in-section', 'code-section', 'signed-in-section']) $(id).hidden = id !== section;
  $('sign-up-section').hidden = section === 'signed-in-section';
}

let channel = 'EMAIL';
function onStep(result) {
  if (result.isSignedIn || result.nextStep.signInStep === 'DONE') return showSignedIn();
  if (result.nextStep.signInStep === 'CONFIRM_SIGN_UP') {
    status('Confirm your sign-up with the code we sent first.', 'error');
    return;
  }
  const info = result.nextStep.additionalInfo ?? {};
  channel = info.channel ?? channel;
  $('code-hint').textContent = `We sent a ${info.codeLength ?? 6}-digit code by ${channel === 'SMS' ? 'SMS' : 'email'} to ${info.destination ?? 'you'}. It is valid until ${info.expiresAt ? new Date(info.expiresAt).toLocaleTimeString() : 'soon'}.`;
  $('other-channel').textContent = channel === 'SMS' ? 'Send it by email instead' : 'Send it by SMS instead';
  $('code').value = '';
  show('code-section');
  $('code').focus();
}

async function showSignedIn() {
  const { tokens } = await fetchAuthSession();
  $('who').textContent = `Signed in as ${tokens.idToken.payload.email ?? tokens.idToken.payload.phone_number ?? tokens.idToken.payload.sub}.`;
  $('id-claims').textContent = JSON.stringify(tokens.idToken.payload, null, 2);
  $('access-claims').textContent = JSON.stringify(tokens.accessToken.payload, null, 2);
  status('Signed in.');
  show('signed-in-section');
}

for (const radio of document.querySelectorAll('input[name=mode]')) {
  radio.addEventListener('change', () => ($('password-row').hidden = document.querySelector('input[name=mode]:checked').value === 'passwordless'));
}

$('sign-in-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const mode = document.querySelector('input[name=mode]:checked').value;
  const username = $('username').value.trim();
  const password = $('password').value;
  try {
    status('Signing in…');
    await signOut().catch(() => undefined);
    const result = await signIn(
      mode === 'passwordless'
        ? { username, options: { authFlowType: 'CUSTOM_WITHOUT_SRP' } }
        : // USER_PASSWORD_AUTH sends the password, so the pool can run the migration trigger; SRP never does.
          { username, password, options: { authFlowType: mode === 'legacy' ? 'USER_PASSWORD_AUTH' : 'CUSTOM_WITH_SRP' } },
    );
    status('');
    onStep(result);
  } catch (error) {
    fail(error);
  }
});

async function respond(challengeResponse, clientMetadata) {
  try {
    const result = await confirmSignIn({ challengeResponse, ...(clientMetadata ? { options: { clientMetadata } } : {}) });
    if (!result.isSignedIn && !clientMetadata) status('That code did not work. Check the latest message and try again.', 'error');
    else status(clientMetadata ? 'A new code is on its way.' : '');
    onStep(result);
  } catch (error) {
    fail(error);
    show('sign-in-section');
  }
}

$('code-form').addEventListener('submit', (event) => {
  event.preventDefault();
  void respond($('code').value.trim());
});
$('resend').addEventListener('click', () => void respond('resend', { otpResend: 'true' }));
$('other-channel').addEventListener('click', () => void respond('resend', { otpResend: 'true', otpChannel: channel === 'SMS' ? 'EMAIL' : 'SMS' }));
$('sign-out').addEventListener('click', async () => {
  await signOut();
  status('Signed out.');
  show('sign-in-section');
});

let signingUp = '';
$('sign-up-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  signingUp = $('signup-email').value.trim();
  const chosen = $('signup-password').value;
  try {
    // Codes only: the suite's pre sign-up confirms the account at once, and the first code proves the
    // address. The pool still wants a password: a random one nobody sees or keeps.
    const result = await signUp(
      chosen
        ? { username: signingUp, password: chosen }
        : { username: signingUp, password: `${crypto.randomUUID()}-Aa1!`, options: { clientMetadata: { passwordlessSignUp: 'true' } } },
    );
    if (result.nextStep.signUpStep === 'CONFIRM_SIGN_UP') {
      status(`We sent a confirmation code to ${result.nextStep.codeDeliveryDetails?.destination}.`);
      $('confirm-sign-up-form').hidden = false;
    } else {
      $('username').value = signingUp;
      status('Signed up: sign in with a code now.');
    }
  } catch (error) {
    fail(error);
  }
});
$('confirm-sign-up-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    await confirmSignUp({ username: signingUp, confirmationCode: $('signup-code').value.trim() });
    $('confirm-sign-up-form').hidden = true;
    $('username').value = signingUp;
    status('Confirmed: sign in with a code now.');
  } catch (error) {
    fail(error);
  }
});
