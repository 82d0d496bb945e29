import type { Messages } from './en';

const minutos = (n: number) => (n === 1 ? '1 minuto' : `${n} minutos`);

export const ptBR: Messages = {
  appName: 'doctor-live',
  skipToContent: 'Pular para o conteúdo',
  language: { label: 'Idioma' },

  landing: {
    title: 'Entrar em uma reunião',
    intro: 'Cole o link do convite que você recebeu por e-mail ou WhatsApp, ou apenas o código.',
    inputLabel: 'Link ou código do convite',
    inputHint: 'Por exemplo https://…/join#token=… ou somente o código.',
    submit: 'Continuar',
    empty: 'Cole primeiro o link ou o código do convite.',
    invalid: 'Isso não parece um link ou código de convite. Copie o link completo do convite e tente novamente.',
  },

  staging: {
    loading: 'Carregando seu convite…',
    organizedBy: (name) => `Organizada por ${name}`,
    when: 'Quando',
    joiningAs: (name) => `Você vai entrar como ${name}`,
    started: 'A reunião já começou.',
    devicesHeading: 'Verifique sua câmera e seu microfone',
    cameraOffPreview: 'Sua câmera está desligada',
    cameraPreview: 'Prévia da sua câmera',
    joinWithout: 'Você pode entrar mesmo assim: os outros só vão ver e ouvir você quando funcionar.',
    recorded: 'Esta reunião é gravada',
    recordedDetail: 'Sua voz, seu vídeo e sua tela compartilhada são gravados a partir do momento em que você entra. O organizador guarda a gravação por um tempo limitado.',
  },

  devices: {
    camera: 'Câmera',
    microphone: 'Microfone',
    speaker: 'Alto-falante',
    systemDefault: 'Padrão do sistema',
    unnamed: (kind, n) => `${kind} ${n}`,
    on: 'Ligado',
    off: 'Desligado',
    turnOn: (device) => `Ligar ${device.toLowerCase()}`,
    turnOff: (device) => `Desligar ${device.toLowerCase()}`,
    micLevel: 'Nível do microfone',
    testSpeaker: 'Tocar um som de teste',
    speakerNotSupported: 'Este navegador sempre toca o som no alto-falante padrão do sistema.',
    problem: {
      camera: {
        denied:
          'O acesso à câmera está bloqueado. Clique no ícone da câmera na barra de endereço (ou nas configurações do site no navegador), permita a câmera e recarregue a página.',
        not_found: 'Nenhuma câmera foi encontrada. Conecte uma ou entre sem vídeo.',
        in_use: 'Sua câmera está sendo usada por outro aplicativo. Feche-o e tente novamente.',
        unsupported:
          'Este navegador não pode usar a câmera aqui. Use Chrome, Edge, Firefox ou Safari atualizados, com https.',
        failed: 'Não foi possível iniciar a câmera.',
      },
      microphone: {
        denied:
          'O acesso ao microfone está bloqueado. Clique no ícone da câmera/microfone na barra de endereço (ou nas configurações do site no navegador), permita o microfone e recarregue a página.',
        not_found: 'Nenhum microfone foi encontrado. Conecte um ou entre e use o chat.',
        in_use: 'Seu microfone está sendo usado por outro aplicativo. Feche-o e tente novamente.',
        unsupported:
          'Este navegador não pode usar o microfone aqui. Use Chrome, Edge, Firefox ou Safari atualizados, com https.',
        failed: 'Não foi possível iniciar o microfone.',
      },
    },
  },

  password: {
    heading: 'Digite a senha da reunião',
    label: 'Senha da reunião (8 dígitos)',
    hint: 'A senha de 8 dígitos veio junto com o seu convite.',
    submit: 'Entrar na reunião',
    checking: 'Verificando…',
    wrongFormat: 'A senha tem exatamente 8 dígitos (somente números).',
    invalidCredentials: 'Senha incorreta. Confira os 8 dígitos do seu convite e tente novamente.',
    locked: (n) => `Muitas tentativas. Por segurança, tente novamente em ${minutos(n)}.`,
    lockedNoTime: 'Muitas tentativas. Por segurança, aguarde alguns minutos e tente novamente.',
    network: 'Não conseguimos falar com o doctor-live. Verifique sua conexão com a internet e tente novamente.',
    sessionExpired: 'Seu acesso à reunião expirou. Digite a senha novamente para voltar.',
  },

  errors: {
    status: (status) => `Erro ${status}`,
    home: 'Ir para a página inicial',
    retry: 'Tentar novamente',
    kinds: {
      invalid_link: {
        title: 'Este link de convite não é válido',
        body: 'Confira se você copiou o link completo do e-mail ou da mensagem de WhatsApp. Se ainda não funcionar, peça ao organizador um novo convite.',
      },
      link_expired: {
        title: 'Este link de convite expirou',
        body: 'Os links de convite valem por tempo limitado. Peça ao organizador um novo convite.',
      },
      room_cancelled: {
        title: 'Esta reunião foi cancelada',
        body: 'O organizador cancelou esta reunião. Fale com ele se achar que é um engano.',
      },
      room_finished: {
        title: 'Esta reunião já terminou',
        body: 'A reunião acabou e não é mais possível entrar. Fale com o organizador se precisar de outra.',
      },
      room_full: {
        title: 'Esta reunião está lotada',
        body: 'A reunião atingiu o número máximo de participantes. Tente novamente em alguns minutos ou fale com o organizador.',
      },
      page_not_found: {
        title: 'Página não encontrada',
        body: 'Para entrar em uma reunião, abra o link do convite que você recebeu ou cole-o na página inicial.',
      },
      network: {
        title: 'Não conseguimos falar com o doctor-live',
        body: 'Verifique sua conexão com a internet e tente novamente.',
      },
      unknown: {
        title: 'Algo deu errado',
        body: 'Tente novamente em instantes. Se continuar acontecendo, fale com o organizador.',
      },
    },
  },

  meeting: {
    connecting: 'Conectando à reunião…',
    state: {
      connecting: 'Conectando…',
      connected: 'Conectado',
      reconnecting: 'Conexão perdida. Reconectando…',
      disconnected: 'Desconectado',
    },
    controls: 'Controles da reunião',
    recording: 'Gravando',
    recordingDetail: 'Esta reunião está sendo gravada',
    camera: 'Câmera',
    microphone: 'Microfone',
    screenShare: 'Compartilhar tela',
    chat: 'Chat',
    participants: 'Participantes',
    assistant: 'Assistente de IA',
    leave: 'Sair',
    videoGrid: 'Vídeo dos participantes',
    cameraFailed: 'Não foi possível iniciar sua câmera; os outros não verão você.',
    microphoneFailed: 'Não foi possível iniciar seu microfone; os outros não ouvirão você.',
    screenShareFailed: 'Não foi possível compartilhar a tela.',
    closePanel: 'Fechar painel',
    dismiss: 'Fechar aviso',
    connectFailed: 'Não foi possível conectar ao servidor da reunião.',
    retry: 'Tentar novamente',
    startAudio: 'Clique para ouvir a reunião',
    chooseCamera: 'Escolher câmera',
    chooseMicrophone: 'Escolher microfone',
    newItems: (n) => (n === 1 ? '1 nova' : `${n} novas`),
    captions: 'Legendas',
    hideAssistant: 'Ocultar assistente',
  },

  captions: {
    region: 'Legendas ao vivo',
    someone: 'Alguém',
    waiting: 'As legendas aparecerão aqui quando alguém falar.',
    offlineSpeech: (languages) =>
      languages ? `Transcrição offline, idiomas: ${languages}.` : 'Transcrição offline.',
  },

  participants: {
    heading: (n) => `Participantes (${n})`,
    you: '(você)',
    aiBadge: 'Assistente de IA',
    micOff: 'Microfone desligado',
    micOn: 'Microfone ligado',
    speaking: 'Falando',
    quality: {
      excellent: 'Conexão excelente',
      good: 'Conexão boa',
      poor: 'Conexão ruim',
      lost: 'Conexão perdida',
      unknown: 'Qualidade da conexão desconhecida',
    },
  },

  chat: {
    heading: 'Chat',
    empty: 'Nenhuma mensagem ainda. As mensagens são vistas por todos na reunião.',
    inputLabel: 'Mensagem para todos',
    send: 'Enviar',
    someone: 'Alguém',
    sendFailed: 'Não foi possível enviar sua mensagem.',
  },

  agent: {
    heading: 'Assistente de IA',
    empty: 'As sugestões do assistente de IA aparecerão aqui durante a reunião.',
    absent: 'O assistente de IA não está na reunião agora.',
    present: 'O assistente de IA está ouvindo e pode sugerir informações dos documentos da sua organização.',
    sources: 'Fontes',
    page: (n) => `p. ${n}`,
    match: (percent) => `${percent}% de correspondência`,
    extractive: 'Citação da base de conhecimento (modo offline)',
    kind: { suggestion: 'Sugestão', tip: 'Dica', answer: 'Resposta' },
    question: 'Pergunta',
    offlineMode: 'Modo offline: as sugestões citam os documentos da sua organização, sem modelo de linguagem.',
    offlineSpeech: (model, languages) =>
      `A fala é transcrita por um modelo offline${model ? ` (${model})` : ''}` +
      (languages ? ` que entende: ${languages}.` : '.'),
    ask: {
      heading: 'Pergunte ao assistente',
      label: 'Sua pergunta ao assistente',
      hint: 'Enter envia, Shift+Enter começa uma nova linha.',
      remaining: (n) => (n === 1 ? '1 caractere restante' : `${n} caracteres restantes`),
      submit: 'Perguntar',
      needsAgent: 'O assistente precisa estar na reunião para responder.',
      yourQuestion: 'Sua pergunta',
      pending: 'Aguardando a resposta…',
      unanswered: (seconds) => `Sem resposta após ${seconds} segundos. O assistente pode estar ocupado: tente perguntar de novo.`,
      failed: 'Não foi possível enviar a pergunta. Verifique sua conexão e tente novamente.',
      dismiss: 'Dispensar',
    },
    disclaimer: 'As sugestões são automáticas: confira-as e use seu julgamento profissional.',
  },

  left: {
    left: { title: 'Você saiu da reunião', body: 'Obrigado pela participação.' },
    ended: { title: 'A reunião terminou', body: 'O organizador encerrou a reunião ou removeu você dela.' },
    duplicate: {
      title: 'Você entrou por outro lugar',
      body: 'A reunião foi aberta em outra aba ou dispositivo com o mesmo convite, então esta foi fechada.',
    },
    disconnected: {
      title: 'Você foi desconectado',
      body: 'A conexão com a reunião foi perdida. Verifique sua internet e volte para a reunião.',
    },
    rejoin: 'Voltar para a reunião',
    home: 'Ir para a página inicial',
  },
};
