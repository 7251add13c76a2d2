// Runs first in <body>: tells GOV.UK Frontend's CSS that JavaScript is available.
// (A file, not inline, so the Content-Security-Policy can forbid inline script.)
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
