// Drives the Simulator with Google's official Cloud Run v2 client (REST transport). See README.md.
const {ServicesClient} = require('@google-cloud/run').v2;

const simulator = new URL(process.env.SIMULATOR_URL ?? 'http://127.0.0.1:47123');

// No Google credentials locally: requests go out without an Authorization header.
const auth = {
  getRequestHeaders: async () => new Headers(),
  getClient: async function () { return this; },
  getProjectId: async () => 'sdp-local',
  getUniverseDomain: async () => 'googleapis.com',
  universeDomain: 'googleapis.com',
  fetch: async (url, request) => {
    const {agent, responseType, ...init} = request;
    const response = await fetch(url, init);
    console.log('  ', init.method, new URL(url).pathname, '->', response.status);
    return response;
  },
};

async function expectError(call, code, what) {
  try {
    await call();
  } catch (error) {
    if (error.code !== code) throw new Error(`${what}: expected code ${code}, got ${error.code}: ${error.message}`);
    console.log(`${what} -> code ${error.code}: ${error.message.split('\n')[0]}`);
    return;
  }
  throw new Error(`${what}: expected an error`);
}

(async () => {
  const client = new ServicesClient({
    fallback: true,
    apiEndpoint: simulator.hostname,
    port: Number(simulator.port),
    protocol: simulator.protocol.replace(':', ''),
    auth,
  });
  const parent = `projects/compat-${Date.now()}/locations/local`;
  // Stores that refuse connections: the template starts lazily, so it runs without them.
  const env = [
    {name: 'ConnectionStrings__database', value: 'Host=127.0.0.1;Port=1;Username=u;Password=p;Database=d;Timeout=2'},
    {name: 'ConnectionStrings__redis', value: '127.0.0.1:1,password=p'},
    {name: 'REDIS_KEY_PREFIX', value: 'sub:1:'},
  ];
  const container = {image: 'sdp/url-shortener:latest', env};

  const [operation] = await client.createService({parent, serviceId: 'compat', service: {template: {containers: [container]}}});
  const [service] = await operation.promise();
  if (service.terminalCondition.state !== 4 && service.terminalCondition.state !== 'CONDITION_SUCCEEDED') {
    throw new Error(`not ready: ${JSON.stringify(service.terminalCondition)}`);
  }
  console.log('ready', service.name, service.uri, 'generation', String(service.generation));

  const [read] = await client.getService({name: service.name});
  console.log('get', read.uid, 'reconciling', read.reconciling);
  const [services] = await client.listServices({parent});
  console.log('list', services.map(s => s.name));

  await expectError(() => client.createService({parent, serviceId: 'compat', service: {template: {containers: [container]}}}), 6, 'duplicate create');
  await expectError(() => client.getService({name: `${parent}/services/missing`}), 5, 'missing service');

  const [deletion] = await client.deleteService({name: service.name});
  const [deleted] = await deletion.promise();
  console.log('deleted', deleted.name);

  const [failing] = await client.createService({parent, serviceId: 'compat-bad', service: {template: {containers: [{image: 'sdp/no-such-image:1'}]}}});
  await expectError(() => failing.promise(), 5, 'unknown image');
  console.log('OK');
})().catch(error => { console.error('FAILED', error); process.exit(1); });
