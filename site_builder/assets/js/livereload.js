// Only in pages built by `serve`: reload when the builder says something changed.
const events = new EventSource("/__livereload");
events.onmessage = (event) => { if (event.data === "reload") location.reload(); };
