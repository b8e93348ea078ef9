/**
 * Lambda events shaped like AWS's documented examples, one per source, with the request's
 * method and headers put in the way each source delivers them:
 * - API Gateway REST API, proxy integration (payload 1.0): "Input format of a Lambda function
 *   for proxy integration" in the API Gateway developer guide. Header names as the client sent
 *   them; `headers` holds the last value of each, `multiValueHeaders` all of them.
 * - API Gateway HTTP API (payload 2.0): "Create AWS Lambda proxy integrations for HTTP APIs".
 *   Header names lower-cased, repeated headers joined with commas, no `multiValueHeaders`.
 * - Lambda Function URL: "Invoking Lambda function URLs", request payload (the 2.0 shape, with
 *   a `lambda-url` domain).
 * - Application Load Balancer: "Lambda functions as targets", request event: `requestContext.elb`,
 *   lower-cased names in `headers`, or only `multiValueHeaders` when multi-value headers are on.
 */

export type Headers = ReadonlyArray<readonly [name: string, value: string]>;

export interface LambdaRequest {
  method: string;
  path?: string;
  /** In the order and spelling the client sent them (repeats allowed). */
  headers?: Headers;
}

function lastValues(headers: Headers, lowerCase: boolean): Record<string, string> {
  const map: Record<string, string> = {};
  for (const [name, value] of headers) map[lowerCase ? name.toLowerCase() : name] = value;
  return map;
}

function allValues(headers: Headers, lowerCase: boolean): Record<string, string[]> {
  const map: Record<string, string[]> = {};
  for (const [name, value] of headers) {
    const key = lowerCase ? name.toLowerCase() : name;
    map[key] ??= [];
    map[key].push(value);
  }
  return map;
}

function commaJoined(headers: Headers): Record<string, string> {
  const map: Record<string, string> = {};
  for (const [name, values] of Object.entries(allValues(headers, true))) map[name] = values.join(',');
  return map;
}

export function restApiEvent({ method, path = '/my/path', headers = [] }: LambdaRequest) {
  return {
    resource: path,
    path,
    httpMethod: method,
    headers: lastValues([['Host', 'id.execute-api.us-east-1.amazonaws.com'], ...headers], false),
    multiValueHeaders: allValues([['Host', 'id.execute-api.us-east-1.amazonaws.com'], ...headers], false),
    queryStringParameters: { parameter1: 'value2', parameter2: 'value' },
    multiValueQueryStringParameters: { parameter1: ['value1', 'value2'], parameter2: ['value'] },
    requestContext: {
      accountId: '123456789012',
      apiId: 'id',
      authorizer: { claims: null, scopes: null },
      domainName: 'id.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'id',
      extendedRequestId: 'request-id',
      httpMethod: method,
      identity: { sourceIp: '192.0.2.1', userAgent: 'user-agent' },
      path,
      protocol: 'HTTP/1.1',
      requestId: 'id=',
      requestTime: '04/Mar/2020:19:15:17 +0000',
      requestTimeEpoch: 1583349317135,
      resourceId: null,
      resourcePath: path,
      stage: '$default',
    },
    pathParameters: null,
    stageVariables: null,
    body: method === 'GET' || method === 'OPTIONS' ? null : 'Hello from Lambda!',
    isBase64Encoded: false,
  };
}

function payloadV2(domainName: string, { method, path = '/my/path', headers = [] }: LambdaRequest) {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: 'parameter1=value1&parameter1=value2&parameter2=value',
    cookies: ['cookie1', 'cookie2'],
    headers: commaJoined([['Host', domainName], ...headers]),
    queryStringParameters: { parameter1: 'value1,value2', parameter2: 'value' },
    requestContext: {
      accountId: '123456789012',
      apiId: 'api-id',
      domainName,
      domainPrefix: domainName.slice(0, domainName.indexOf('.')),
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'agent' },
      requestId: 'id',
      routeKey: '$default',
      stage: '$default',
      time: '12/Mar/2020:19:03:58 +0000',
      timeEpoch: 1583348638390,
    },
    body: method === 'GET' || method === 'OPTIONS' ? undefined : 'Hello from Lambda',
    pathParameters: { parameter1: 'value1' },
    isBase64Encoded: false,
    stageVariables: null,
  };
}

export function httpApiEvent(request: LambdaRequest) {
  return payloadV2('id.execute-api.us-east-1.amazonaws.com', request);
}

export function functionUrlEvent(request: LambdaRequest) {
  return payloadV2('a1b2c3d4e5f6.lambda-url.us-west-2.on.aws', request);
}

export function albEvent({ method, path = '/', headers = [] }: LambdaRequest, multiValueHeaders: boolean) {
  const all: Headers = [['Host', 'lambda-846800462-us-east-2.elb.amazonaws.com'], ['X-Forwarded-Proto', 'https'], ...headers];
  const event = {
    requestContext: {
      elb: { targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-target-group/6d0ecf831eec9f09' },
    },
    httpMethod: method,
    path,
    isBase64Encoded: false,
    body: method === 'GET' || method === 'OPTIONS' ? '' : 'request_body',
  };
  return multiValueHeaders
    ? { ...event, multiValueQueryStringParameters: {}, multiValueHeaders: allValues(all, true) }
    : { ...event, queryStringParameters: {}, headers: lastValues(all, true) };
}
