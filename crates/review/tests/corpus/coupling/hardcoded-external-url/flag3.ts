export const client = new ApiClient({ baseUrl: 'https://api.hubapi.com/crm/v3' });
