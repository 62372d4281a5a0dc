// examples/service.ts
// Conducto's "start server / test / stop" under reuse: "new" (a server started in one node, tested from
// the next) spelled with a service: busybox httpd runs beside the group, the http wait holds the first
// test back until it answers, and it stops when the group ends, whatever ends it.
import { pipeline } from 'caisson';

export default pipeline('service', { image: 'busybox:latest' })
  .serial('test', (s) => s
    .service('web', {
      command: 'mkdir -p /www && echo "hello from the web service" > /www/index.html && exec httpd -f -v -p 8080 -h /www',
      ports: 8080,
      wait: { http: '/', status: 200 },
      startupTimeout: '30s',
    })
    .exec('fetch', 'wget -qO- http://web:8080/')
    .exec('missing', 'if wget -qO- http://web:8080/nope; then exit 1; else echo "404 as expected"; fi'))
  .exec('after', 'echo "the web service stops when its group ends"');
