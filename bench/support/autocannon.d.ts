// The slice of autocannon 9's library API the http bench uses (the package ships no types).
declare module 'autocannon' {
  interface AutocannonOptions {
    url: string
    connections?: number
    pipelining?: number
    duration?: number
  }
  interface AutocannonResult {
    requests: { total: number; average: number }
    duration: number
    errors: number
    timeouts: number
    non2xx: number
  }
  function autocannon(options: AutocannonOptions): Promise<AutocannonResult>
  export default autocannon
}
